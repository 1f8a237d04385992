import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Pod } from "../controllers/api-types";
import { createNode, fakeKubeletContext, testPod } from "./fake-kubelet-context";
import type { PodRuntimeState } from "./pod-runtime-state";
import { createStaticPodManager, isMirrorPod, staticPodHash } from "./static-pod-manager";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup() {
  let manifests: Pod[] = [testPod("etcd", { containers: [{ name: "etcd", image: "registry.k8s.io/etcd:3.5.16-0" }], hostNetwork: true }, "kube-system")];
  const ctx = fakeKubeletContext({
    nodeName: "kind-control-plane",
    namespaces: ["default", "kube-system"],
    hooks: { staticPods: { list: () => manifests, subscribe: () => () => undefined } },
  });
  const node = createNode(ctx);
  let nodeVisible = true;
  const scheduled: string[] = [];
  const terminated: { rt: PodRuntimeState; graceMs: number; then: () => void }[] = [];
  const removed: string[] = [];
  const staticPods = createStaticPodManager(ctx, {
    schedule: (rt) => void scheduled.push(rt.pod.metadata.name),
    node: () => (nodeVisible ? node : undefined),
    terminate: (rt, graceMs, then) => void terminated.push({ rt, graceMs, then }),
    removeRuntime: (rt) => {
      ctx.pods.delete(rt.uid);
      removed.push(rt.uid);
    },
  });
  const mirror = () => ctx.store.get("pods", "kube-system", "etcd-kind-control-plane") as Pod | undefined;
  return { ctx, node, staticPods, scheduled, terminated, removed, mirror, setManifests: (p: Pod[]) => (manifests = p), setNodeVisible: (v: boolean) => (nodeVisible = v) };
}

describe("static pod manager", () => {
  it("runs the static pod but creates no mirror pod while the kubelet cannot get its Node", () => {
    const { ctx, staticPods, scheduled, mirror, setNodeVisible } = setup();
    setNodeVisible(false);
    staticPods.sync();
    expect(scheduled).toEqual(["etcd-kind-control-plane"]);
    expect(mirror()).toBeUndefined();
    expect(ctx.journal.lines().at(-1)).toMatch(
      /^E\d{4} .* kubelet\.go:3190\] "No need to create a mirror pod, since failed to get node info from the cluster" err="node \\"kind-control-plane\\" not found" node="kind-control-plane"$/,
    );
    setNodeVisible(true);
    staticPods.ensureMirror([...ctx.pods.values()][0]!);
    expect(isMirrorPod(mirror()!)).toBe(true);
  });

  it("runs a manifest's pod under its node-suffixed name and publishes its mirror pod", () => {
    const { ctx, node, staticPods, scheduled, mirror } = setup();
    staticPods.sync();
    const [rt] = [...ctx.pods.values()];
    expect(rt).toMatchObject({ isStatic: true, uid: rt!.staticHash });
    expect(scheduled).toEqual(["etcd-kind-control-plane"]);
    const m = mirror()!;
    expect(isMirrorPod(m)).toBe(true);
    expect(m.metadata.annotations).toMatchObject({ "kubernetes.io/config.hash": rt!.staticHash, "kubernetes.io/config.mirror": rt!.staticHash, "kubernetes.io/config.source": "file" });
    expect(m.metadata.annotations?.["kubernetes.io/config.seen"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect(m.metadata.ownerReferences).toEqual([{ apiVersion: "v1", kind: "Node", name: "kind-control-plane", uid: node.metadata.uid, controller: true }]);
    expect(m.spec.nodeName).toBe("kind-control-plane");
    expect(ctx.journal.lines()[0]).toContain(`"SyncLoop ADD" source="file" pods=["kube-system/etcd-kind-control-plane"]`);
  });

  it("replaces the pod when its manifest changes: stop, remove the mirror, start the new one", () => {
    const { ctx, staticPods, terminated, removed, mirror, setManifests } = setup();
    staticPods.sync();
    const oldHash = [...ctx.pods.values()][0]!.staticHash;
    setManifests([testPod("etcd", { containers: [{ name: "etcd", image: "registry.k8s.io/etcd:3.5.15-0" }], hostNetwork: true, terminationGracePeriodSeconds: 5 }, "kube-system")]);
    staticPods.sync();
    expect(terminated.map((t) => t.graceMs)).toEqual([30_000]);
    expect(ctx.journal.lines().at(-1)).toContain(`"SyncLoop REMOVE" source="file" pods=["kube-system/etcd-kind-control-plane"]`);
    terminated[0]!.then();
    expect(removed).toEqual([oldHash]);
    const [now] = [...ctx.pods.values()];
    expect(now!.staticHash).not.toBe(oldHash);
    expect(mirror()?.metadata.annotations?.["kubernetes.io/config.mirror"]).toBe(now!.staticHash);
  });

  it("stops a pod whose manifest was removed", () => {
    const { staticPods, terminated, mirror, setManifests } = setup();
    staticPods.sync();
    setManifests([]);
    staticPods.sync();
    terminated[0]!.then();
    expect(mirror()).toBeUndefined();
  });

  it("re-creates a deleted mirror pod half a second later", () => {
    const { ctx, staticPods, mirror } = setup();
    staticPods.sync();
    const m = mirror()!;
    ctx.store.purge("pods", "kube-system", m.metadata.name);
    staticPods.onMirrorDeleted(m);
    vi.advanceTimersByTime(499);
    expect(mirror()).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(mirror()?.metadata.annotations?.["kubernetes.io/config.mirror"]).toBe(m.metadata.annotations?.["kubernetes.io/config.mirror"]);
  });

  it("leaves an API pod that has the mirror's name alone", () => {
    const { ctx, staticPods, mirror } = setup();
    ctx.store.create("pods", testPod("etcd-kind-control-plane", {}, "kube-system"));
    staticPods.sync();
    expect(isMirrorPod(mirror()!)).toBe(false);
  });

  it("hashes the name, namespace, spec, labels and annotations", () => {
    const a = testPod("etcd");
    const h = staticPodHash(a);
    expect(h).toMatch(/^[0-9a-f]{32}$/);
    expect(staticPodHash(structuredClone(a))).toBe(h);
    expect(staticPodHash({ ...a, metadata: { ...a.metadata, labels: { tier: "control-plane" } } })).not.toBe(h);
    expect(staticPodHash({ ...a, spec: { ...a.spec, hostNetwork: true } })).not.toBe(h);
  });
});
