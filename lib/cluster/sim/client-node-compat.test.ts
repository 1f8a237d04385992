import { AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, Watch } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startSimCluster, type SimCluster } from "./sim-cluster";

/**
 * @kubernetes/client-node (what the breakfix server and scenario checks use) against a sim
 * cluster over real HTTPS with the admin client certificate: list, watch and the patch types.
 */

let cluster: SimCluster;
let kc: KubeConfig;

beforeAll(async () => {
  cluster = await startSimCluster({ name: "cn", workers: 1, timeScale: 5, keyAlgorithm: "ecdsa-p256" });
  kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig());
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

describe("client-node against the sim cluster", () => {
  it("lists nodes and namespaces with label and field selectors", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const nodes = await core.listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(["cn-control-plane", "cn-worker"]);
    const cp = await core.listNode({ labelSelector: "node-role.kubernetes.io/control-plane" });
    expect(cp.items.map((n) => n.metadata?.name)).toEqual(["cn-control-plane"]);
    const ks = await core.listNamespace({ fieldSelector: "metadata.name=kube-system" });
    expect(ks.items).toHaveLength(1);
    expect(Number(ks.metadata?.resourceVersion)).toBeGreaterThan(0);
  });

  it("watches from a resourceVersion and sees ADDED, MODIFIED and DELETED in order", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: "watched" } } });
    const list = await core.listNamespacedConfigMap({ namespace: "watched" });
    const events: string[] = [];
    const watch = new Watch(kc);
    let ended: unknown;
    const ctl = await watch.watch(
      "/api/v1/namespaces/watched/configmaps",
      { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
      (phase, obj: { metadata?: { name?: string } }) => {
        if (phase === "BOOKMARK") return;
        events.push(`${phase} ${obj.metadata?.name}`);
      },
      (err: unknown) => (ended = err ?? "the watch ended"),
    );
    await core.createNamespacedConfigMap({ namespace: "watched", body: { metadata: { name: "w" }, data: { a: "1" } } });
    await core.patchNamespacedConfigMap(
      { namespace: "watched", name: "w", body: { data: { a: "2" } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedConfigMap({ namespace: "watched", name: "w" });
    await vi.waitFor(
      () => {
        expect(ended).toBeUndefined();
        expect(events).toEqual(["ADDED w", "MODIFIED w", "DELETED w"]);
      },
      { timeout: 10_000, interval: 20 },
    );
    ctl.abort();
  });

  it("a label-selector watch sees an object leave the selection as DELETED and come back as ADDED", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: "sel" } } });
    await core.createNamespacedConfigMap({ namespace: "sel", body: { metadata: { name: "c", labels: { app: "web" } } } });
    const events: string[] = [];
    const ctl = await new Watch(kc).watch(
      "/api/v1/namespaces/sel/configmaps",
      { labelSelector: "app=web" },
      (phase, obj: { metadata?: { name?: string } }) => events.push(`${phase} ${obj.metadata?.name}`),
      () => undefined,
    );
    const relabel = (app: string | null) =>
      core.patchNamespacedConfigMap({ namespace: "sel", name: "c", body: { metadata: { labels: { app } } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    // The watch is live once it has delivered the object's current state.
    await vi.waitFor(() => expect(events).toEqual(["ADDED c"]), { timeout: 5000, interval: 10 });
    await relabel("db");
    await relabel("web");
    await vi.waitFor(() => expect(events).toEqual(["ADDED c", "DELETED c", "ADDED c"]), { timeout: 5000, interval: 20 });
    ctl.abort();
  });

  it("patches with strategic merge, JSON merge and JSON patch, and a stale update gets 409", async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const body = {
      metadata: { name: "web" },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.27", env: [{ name: "A", value: "1" }] }] } },
      },
    };
    const created = await apps.createNamespacedDeployment({ namespace: "default", body });
    const smp = await apps.patchNamespacedDeployment(
      { namespace: "default", name: "web", body: { spec: { template: { spec: { containers: [{ name: "nginx", env: [{ name: "B", value: "2" }] }] } } } } },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    expect(smp.spec?.template.spec?.containers[0]?.env?.map((e) => e.name)).toEqual(["A", "B"]);
    const merge = await apps.patchNamespacedDeployment(
      { namespace: "default", name: "web", body: { spec: { replicas: 2 } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    expect(merge.spec?.replicas).toBe(2);
    const json = await apps.patchNamespacedDeployment(
      { namespace: "default", name: "web", body: [{ op: "replace", path: "/spec/template/spec/containers/0/image", value: "nginx:1.28" }] },
      setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
    );
    expect(json.spec?.template.spec?.containers[0]?.image).toBe("nginx:1.28");
    expect(json.metadata?.generation).toBe(4);
    // An update carrying the resourceVersion from before the patches is refused.
    await expect(apps.replaceNamespacedDeployment({ namespace: "default", name: "web", body: created })).rejects.toMatchObject({ code: 409 });
  });
});
