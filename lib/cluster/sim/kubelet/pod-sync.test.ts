import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Pod } from "../controllers/api-types";
import { fakeKubeletContext, testPod } from "./fake-kubelet-context";
import type { ContainerRecord, SandboxRecord } from "./kubelet-seams";
import { PodIpAllocator } from "./pod-ip-allocator";
import { newPodRuntimeState, type ContainerRuntimeState } from "./pod-runtime-state";
import { createPodSync } from "./pod-sync";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function record(st: ContainerRuntimeState, state: ContainerRecord["state"], exitCode?: number): ContainerRecord {
  return { id: `${st.spec.name}-${st.restartCount}`, podSandboxId: "", podUid: "", podName: "", namespace: "", name: st.spec.name, attempt: 0, image: "", imageId: "", state, exitCode, createdAt: new Date(), logs: [] };
}

function setup(spec: Partial<Pod["spec"]> = {}) {
  const ctx = fakeKubeletContext();
  const ips = new PodIpAllocator();
  const started: string[] = [];
  const killed: string[] = [];
  const sandboxes: SandboxRecord[] = [];
  const sync = createPodSync(ctx, {
    podEvent: (_rt, _c, type, reason, message) => ctx.events.record({ involvedObject: rt.pod, type, reason, message, component: "kubelet" }),
    writeStatus: () => undefined,
    ips,
    hostIP: () => "172.18.0.3",
    podCidrBase: () => "10.244.1",
    containers: {
      addSandbox: (sb) => void sandboxes.push(sb),
      startContainer: (_rt, st) => {
        started.push(st.spec.name);
        st.current = record(st, "Running");
      },
      killContainer: (_rt, st, _grace, done) => {
        killed.push(st.spec.name);
        st.current = record(st, "Exited", 0);
        done?.();
      },
      removePodRecords: () => undefined,
    },
  });
  const pod = testPod("app", spec);
  const rt = newPodRuntimeState(pod, pod.metadata.uid);
  ctx.pods.set(rt.uid, rt);
  return { ctx, ips, sync, rt, started, killed, sandboxes };
}

describe("pod sync", () => {
  it("creates the sandbox with a pod IP first, and starts the containers once it is up", () => {
    const { sync, rt, started, sandboxes } = setup();
    sync.schedule(rt, 10);
    vi.advanceTimersByTime(10);
    expect(rt.sandbox).toMatchObject({ state: "Ready", ip: "10.244.1.2", attempt: 0, podName: "app" });
    expect(sandboxes).toHaveLength(1);
    expect(started).toEqual([]);
    vi.advanceTimersByTime(600);
    expect(started).toEqual(["app"]);
    expect(rt.startTime).toBeDefined();
  });

  it("gives a hostNetwork pod the node's IP", () => {
    const { sync, rt } = setup({ hostNetwork: true });
    sync.schedule(rt, 0);
    vi.advanceTimersByTime(0);
    expect(rt.sandbox?.ip).toBe("172.18.0.3");
  });

  it("holds pods that need the pod network while the CNI is not ready, and retries after 10 s", () => {
    const { ctx, sync, rt } = setup();
    ctx.process.networkReady = false;
    sync.schedule(rt, 0);
    vi.advanceTimersByTime(0);
    expect(rt.sandbox).toBeUndefined();
    expect(ctx.eventLines()).toEqual([expect.stringMatching(/^Warning NetworkNotReady network is not ready: container runtime network not ready: NetworkReady=false/)]);
    ctx.process.networkReady = true;
    vi.advanceTimersByTime(9999);
    expect(rt.sandbox).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(rt.sandbox).toBeDefined();
  });

  it("waits for an unbound claim before creating the sandbox", () => {
    const { sync, rt } = setup({ volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }] });
    sync.schedule(rt, 0);
    vi.advanceTimersByTime(5000);
    expect(rt.sandbox).toBeUndefined();
  });

  it("runs init containers one at a time before the app containers", () => {
    const { sync, rt, started } = setup({ initContainers: [{ name: "one" }, { name: "two" }] });
    sync.schedule(rt, 0);
    vi.advanceTimersByTime(600);
    expect(started).toEqual(["one"]);
    rt.containers.get("init:one")!.current!.state = "Exited";
    rt.containers.get("init:one")!.current!.exitCode = 0;
    sync.schedule(rt, 0);
    vi.advanceTimersByTime(0);
    expect(started).toEqual(["one", "two"]);
    rt.containers.get("init:two")!.current = { ...rt.containers.get("init:two")!.current!, state: "Exited", exitCode: 0 };
    sync.schedule(rt, 0);
    vi.advanceTimersByTime(0);
    expect(started).toEqual(["one", "two", "app"]);
  });

  it("keeps the sooner of two scheduled syncs", () => {
    const { sync, rt } = setup();
    sync.schedule(rt, 1000);
    sync.schedule(rt, 5000);
    vi.advanceTimersByTime(1000);
    expect(rt.sandbox).toBeDefined();
  });

  it("terminates by stopping each running container, then frees the IP and hands over", () => {
    const { ctx, ips, sync, rt, killed } = setup();
    const release = vi.spyOn(ips, "release");
    sync.schedule(rt, 0);
    vi.advanceTimersByTime(600);
    let done = false;
    sync.terminate(rt, 30_000, () => (done = true));
    expect(killed).toEqual(["app"]);
    expect(done).toBe(true);
    expect([rt.terminating, rt.gone, rt.sandbox?.state]).toEqual([true, true, "NotReady"]);
    expect(release).toHaveBeenCalledWith("10.244.1.2");
    expect(ctx.eventLines().at(-1)).toBe("Normal Killing Stopping container app");
    sync.removeRuntime(rt);
    expect(ctx.pods.has(rt.uid)).toBe(false);
  });
});
