import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Pod } from "../controllers/api-types";
import { createApiPodHandler } from "./api-pod-handler";
import { fakeKubeletContext, testPod } from "./fake-kubelet-context";
import { containerStateOf, type PodRuntimeState } from "./pod-runtime-state";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup() {
  const ctx = fakeKubeletContext();
  const log: string[] = [];
  const handler = createApiPodHandler(ctx, {
    podEvent: (_rt, _c, type, reason, message) => void log.push(`event ${type} ${reason} ${message}`),
    schedule: (rt, ms) => void log.push(`schedule ${rt.pod.metadata.name} ${ms}`),
    terminate: (rt, graceMs, then) => {
      log.push(`terminate ${rt.pod.metadata.name} ${graceMs}`);
      rt.terminating = true;
      then();
    },
    removeRuntime: (rt) => {
      ctx.pods.delete(rt.uid);
      log.push(`remove ${rt.pod.metadata.name}`);
    },
    killContainer: (_rt, st, graceMs) => void log.push(`kill ${st.spec.name} ${graceMs}`),
    writeStatusFinal: (rt) => void log.push(`final ${rt.pod.metadata.name}`),
    onMirrorDeleted: (p) => void log.push(`mirror deleted ${p.metadata.name}`),
  });
  const bound = (name: string, extra: Partial<Pod["spec"]> = {}) => ctx.store.create("pods", testPod(name, { nodeName: ctx.nodeName, ...extra })) as Pod;
  return { ctx, handler, log, bound };
}
const runtimeOf = (ctx: ReturnType<typeof fakeKubeletContext>, p: Pod) => ctx.pods.get(p.metadata.uid) as PodRuntimeState;

describe("API pod handler", () => {
  it("takes on a pod bound to its node and syncs it soon", () => {
    const { ctx, handler, log, bound } = setup();
    handler.onPod(bound("app"), false);
    handler.onPod(ctx.store.create("pods", testPod("elsewhere", { nodeName: "kind-worker2" })) as Pod, false);
    expect([...ctx.pods.values()].map((r) => r.pod.metadata.name)).toEqual(["app"]);
    expect(log).toEqual(["schedule app 10"]);
  });

  it("does not start a pod that already finished", () => {
    const { ctx, handler, bound } = setup();
    const p = bound("done");
    p.status = { phase: "Succeeded" };
    handler.onPod(p, false);
    expect(ctx.pods.size).toBe(0);
  });

  it("restarts a running container whose spec changed (kubectl set image)", () => {
    const { ctx, handler, log, bound } = setup();
    const p = bound("app", { terminationGracePeriodSeconds: 3 });
    handler.onPod(p, false);
    const st = containerStateOf(runtimeOf(ctx, p), p.spec.containers[0]!, false);
    st.current = { id: "c", podSandboxId: "", podUid: p.metadata.uid, podName: "app", namespace: "default", name: "app", attempt: 0, image: "", imageId: "", state: "Running", createdAt: new Date(), logs: [] };
    const changed = structuredClone(p);
    changed.spec.containers[0]!.image = "busybox:1.37";
    handler.onPod(changed, false);
    expect(log.slice(1)).toEqual(["event Normal Killing Container app definition changed, will be restarted", "kill app 3000", "schedule app 10"]);
    expect(st.spec.image).toBe("busybox:1.37");
  });

  it("terminates a pod with a deletion timestamp within its grace period, then purges it", () => {
    const { ctx, handler, log, bound } = setup();
    const p = bound("app");
    handler.onPod(p, false);
    const deleting = structuredClone(p);
    deleting.metadata.deletionTimestamp = new Date().toISOString();
    deleting.metadata.deletionGracePeriodSeconds = 5;
    handler.onPod(deleting, false);
    expect(log.slice(1)).toEqual(["terminate app 5000", "final app", "remove app"]);
    expect(ctx.store.get("pods", "default", "app")).toBeUndefined();
  });

  it("kills a pod removed from the API at once", () => {
    const { handler, log, bound } = setup();
    const p = bound("app");
    handler.onPod(p, false);
    handler.onPod(p, true);
    expect(log.slice(1)).toEqual(["terminate app 0", "remove app"]);
  });

  it("hands a deleted mirror pod to the static pods", () => {
    const { handler, log } = setup();
    const mirror = testPod("etcd-kind-worker");
    mirror.metadata.annotations = { "kubernetes.io/config.mirror": "h" };
    handler.onPod(mirror, false);
    handler.onPod(mirror, true);
    expect(log).toEqual(["mirror deleted etcd-kind-worker"]);
  });
});
