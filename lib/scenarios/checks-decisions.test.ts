import type { V1DaemonSet, V1Deployment, V1Node, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { checks, selectorQuery } from "./checks";
import type { K8sApis, ScenarioContext } from "./context";
import { realNode, realPod } from "./testdata/real-objects";

/**
 * The decisions of the API-reading checks on objects shaped as a real cluster returns them, for
 * the states a sim cluster does not easily reach (a node that never registered, a controller
 * that has not caught up, pods terminating mid-rollout, a runtime that reports digests).
 */

function ctxOf(objects: { nodes?: V1Node[]; deployment?: V1Deployment; daemonSet?: V1DaemonSet; pods?: V1Pod[] }, workers = ["w1"]): ScenarioContext {
  const core = {
    listNode: async () => ({ items: objects.nodes ?? [] }),
    listNamespacedPod: async ({ labelSelector }: { labelSelector?: string }) => ({
      items: (objects.pods ?? []).filter((p) => !labelSelector || labelSelector.split(",").every((kv) => p.metadata?.labels?.[kv.split("=")[0]!] === kv.split("=")[1])),
    }),
  };
  const apps = {
    readNamespacedDeployment: async () => objects.deployment,
    readNamespacedDaemonSet: async () => objects.daemonSet,
  };
  return { k8s: { core, apps } as unknown as K8sApis, controlPlane: "cp", workers } as unknown as ScenarioContext;
}

describe("checks.nodesReady", () => {
  it("fails a node that never registered apart from one that is NotReady", async () => {
    const r = await checks.nodesReady()(ctxOf({ nodes: [realNode("cp", { ready: false })] }));
    expect(r).toEqual({
      ok: false,
      message: "2 of 2 node(s) are not registered or not Ready.",
      detail: { actual: "not registered: w1; not Ready: cp", expected: "Ready: cp, w1" },
    });
  });

  it("counts a Ready condition of Unknown (a kubelet that stopped posting) as not Ready", async () => {
    const stale = realNode("w1");
    stale.status!.conditions = stale.status!.conditions!.map((c) => (c.type === "Ready" ? { ...c, status: "Unknown", reason: "NodeStatusUnknown" } : c));
    const r = await checks.nodesReady()(ctxOf({ nodes: [realNode("cp"), stale] }));
    expect(r).toMatchObject({ ok: false, message: "1 of 2 node(s) are not Ready.", detail: { actual: "not Ready: w1" } });
  });
});

const web = (status: V1Deployment["status"], generation = 2): V1Deployment => ({
  metadata: { name: "web", namespace: "shop", generation },
  spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { spec: { containers: [{ name: "main", image: "nginx:1.27" }] } } },
  status,
});
const complete = { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 2 };
const webPod = (name: string, image: string, opts: { terminating?: boolean; statusImage?: string } = {}): V1Pod => {
  const p = realPod(name, { namespace: "shop", phase: "Running", image, labels: { app: "web" }, container: { ready: true, image: opts.statusImage ?? image, state: { running: { startedAt: new Date() } } } });
  if (opts.terminating) p.metadata!.deletionTimestamp = new Date();
  return p;
};

describe("checks.deploymentAvailable", () => {
  const run = (d: V1Deployment, pods: V1Pod[] = []) => checks.deploymentAvailable({ namespace: "shop", name: "web", image: "nginx:1.27" })(ctxOf({ deployment: d, pods }));

  it("fails while the controller has not observed the latest generation, though the counts look complete", async () => {
    expect(await run(web({ ...complete, observedGeneration: 1 }))).toMatchObject({
      ok: false,
      message: "Deployment shop/web is not fully available.",
      detail: { actual: "the Deployment controller has not acted on the latest change yet" },
    });
  });

  it("fails while old replicas are still counted (a rollout in progress)", async () => {
    expect(await run(web({ ...complete, replicas: 3 }))).toMatchObject({ ok: false, detail: { actual: "2/2 available, 2 up to date, 3 pod(s) in all", expected: "2/2 available and up to date, no old pods left" } });
  });

  it("passes pods that run the image under its full name, and ignores old pods that are terminating", async () => {
    const pods = [
      webPod("web-a", "nginx:1.27", { statusImage: "docker.io/library/nginx:1.27" }),
      webPod("web-b", "nginx:1.27", { statusImage: "sha256:318efd9c0f9b2d1ae22d89d364c761093a53e95e8b67495c610ab1c3e028f960" }),
      webPod("web-old", "nginx:1.25", { terminating: true }),
    ];
    expect(await run(web(complete), pods)).toEqual({ ok: true, message: "Deployment shop/web has 2/2 replicas available." });
  });

  it("fails a pod whose running container is another image", async () => {
    const pods = [webPod("web-a", "nginx:1.27"), webPod("web-b", "httpd:2.4", { statusImage: "docker.io/library/httpd:2.4" })];
    expect(await run(web(complete), pods)).toEqual({
      ok: false,
      message: "Deployment shop/web has pods that do not run the image it is supposed to run.",
      detail: { actual: "pod web-b runs docker.io/library/httpd:2.4", expected: "every pod runs image nginx:1.27" },
    });
  });
});

describe("selectorQuery", () => {
  it("writes matchLabels and matchExpressions as the labelSelector parameter", () => {
    expect(
      selectorQuery({
        matchLabels: { app: "web" },
        matchExpressions: [
          { key: "tier", operator: "In", values: ["a", "b"] },
          { key: "env", operator: "NotIn", values: ["dev"] },
          { key: "team", operator: "Exists" },
          { key: "legacy", operator: "DoesNotExist" },
        ],
      }),
    ).toBe("app=web,tier in (a,b),env notin (dev),team,!legacy");
    expect(selectorQuery(undefined)).toBeUndefined();
    expect(selectorQuery({})).toBeUndefined();
  });
});

describe("checks.daemonSetReady", () => {
  const ds = (status: V1DaemonSet["status"], generation = 3): V1DaemonSet => ({ metadata: { name: "kindnet", namespace: "kube-system", generation }, status });
  const run = (d: V1DaemonSet) => checks.daemonSetReady({ namespace: "kube-system", name: "kindnet" })(ctxOf({ daemonSet: d }));

  it("passes a pod ready and up to date on each of the lab's nodes", async () => {
    expect(await run(ds({ observedGeneration: 3, desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 2, numberMisscheduled: 0 }))).toEqual({
      ok: true,
      message: "DaemonSet kube-system/kindnet has 2/2 pods ready.",
    });
  });

  it("fails pods that are ready but from an older template, and a status the controller has not caught up with", async () => {
    const old = await run(ds({ observedGeneration: 3, desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 1, numberMisscheduled: 0 }));
    expect(old).toEqual({
      ok: false,
      message: "DaemonSet kube-system/kindnet is not running a ready pod on every node.",
      detail: { actual: "desired 2, ready 2, up to date 1", expected: "desired ≥ 2, all ready and up to date" },
    });
    expect((await run(ds({ observedGeneration: 2, desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 2, numberMisscheduled: 0 }))).ok).toBe(false);
  });
});

describe("checks.podsHealthy", () => {
  it("fails a terminating pod and one whose container is not ready, naming each with kubectl's state", async () => {
    const pods = [
      webPod("web-a", "nginx:1.27"),
      webPod("web-b", "nginx:1.27", { terminating: true }),
      realPod("web-c", { namespace: "shop", phase: "Running", labels: { app: "web" }, container: { ready: false, state: { running: {} } } }),
    ];
    const r = await checks.podsHealthy({ namespace: "shop", labelSelector: "app=web" })(ctxOf({ pods }));
    expect(r).toEqual({
      ok: false,
      message: "2 of 3 pods with app=web in shop are not running and ready.",
      detail: { actual: "web-b: Terminating; web-c: Running", expected: "every pod Running and ready" },
    });
  });
});

describe("checks.podsSteady", () => {
  const now = new Date("2026-01-01T12:00:00Z");
  const ctxAt = (pods: V1Pod[]) => {
    const ctx = ctxOf({ pods });
    const coordination = { readNamespacedLease: async () => ({ spec: {} }) };
    return { ...ctx, k8s: { ...ctx.k8s, coordination }, clock: { timeScale: 1, now: () => now } } as unknown as ScenarioContext;
  };
  const pod = (name: string, startedSecondsAgo: number, opts: { ready?: boolean; restartCount?: number } = {}) =>
    realPod(name, {
      namespace: "shop",
      phase: "Running",
      labels: { app: "web" },
      container: { ready: opts.ready ?? true, restartCount: opts.restartCount ?? 0, state: { running: { startedAt: new Date(now.getTime() - startedSecondsAgo * 1000) } } },
    });
  const run = (pods: V1Pod[]) => checks.podsSteady({ namespace: "shop", labelSelector: "app=web", seconds: 30 })(ctxAt(pods));

  it("passes pods that have run for the whole window", async () => {
    expect(await run([pod("a", 31), pod("b", 120, { restartCount: 2 })])).toMatchObject({ ok: true });
  });

  it("fails a container that a liveness probe restarted moments ago, though it is Running and ready", async () => {
    const r = await run([pod("a", 120), pod("b", 8, { restartCount: 3 })]);
    expect(r).toMatchObject({ ok: false, message: "1 of 2 pods with app=web in shop are not running steadily.", detail: { actual: "b: running for 8 s since it last started, 3 restart(s)" } });
  });

  it("fails a pod that runs but never becomes ready, and a crash-looping one", async () => {
    const looping = realPod("c", { namespace: "shop", phase: "Running", labels: { app: "web" }, container: { restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } } } });
    const r = await run([pod("a", 300, { ready: false }), looping]);
    expect(r).toMatchObject({ ok: false, detail: { actual: "a: Running, not ready, 0 restart(s); c: CrashLoopBackOff, 4 restart(s)" } });
  });

  it("fails when there is no pod at all", async () => {
    expect(await run([])).toMatchObject({ ok: false, message: "There are no pods with app=web in shop." });
  });
});
