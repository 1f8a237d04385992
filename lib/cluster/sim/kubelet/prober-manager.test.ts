import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Container, Probe } from "../controllers/api-types";
import { fakeKubeletContext, testPod } from "./fake-kubelet-context";
import type { ContainerRecord } from "./kubelet-seams";
import { containerStateOf, newPodRuntimeState, type ContainerRuntimeState } from "./pod-runtime-state";
import { createProberManager } from "./prober-manager";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const healthy: Probe = { exec: { command: ["cat", "/tmp/healthy"] }, periodSeconds: 5 };

function setup(probes: Partial<Container>) {
  const ctx = fakeKubeletContext();
  const pod = testPod("app", { containers: [{ name: "app", image: "busybox:1.36", ...probes }], terminationGracePeriodSeconds: 7 });
  const rt = newPodRuntimeState(pod, pod.metadata.uid);
  const st = containerStateOf(rt, pod.spec.containers[0]!, false);
  const rec: ContainerRecord = { id: "c1", podSandboxId: "s", podUid: rt.uid, podName: "app", namespace: "default", name: "app", attempt: 0, image: "i", imageId: "sha256:i", state: "Running", createdAt: new Date(), logs: [] };
  st.current = rec;
  st.plan = { steps: [], listens: [], memoryBytes: 0, onStop: { exitCode: 0, logs: [] }, files: {} };
  st.files = { "/tmp/healthy": "" };
  const kills: number[] = [];
  let writes = 0;
  const prober = createProberManager(ctx, {
    podEvent: (_rt, _c, type, reason, message) => ctx.events.record({ involvedObject: pod, type, reason, message, component: "kubelet" }),
    writeStatus: () => void writes++,
    killContainer: (_rt, s: ContainerRuntimeState, graceMs) => {
      s.killing = true;
      kills.push(graceMs);
    },
    appendLog: (r, text) => void r.logs.push({ time: new Date(), stream: "stdout", text }),
    render: (_rt, line) => line,
  });
  return { ctx, rt, st, prober, kills, writes: () => writes };
}

describe("prober manager", () => {
  it("makes a container without probes ready and started at once", () => {
    const { rt, st, prober } = setup({});
    prober.start(rt, st);
    expect([st.ready, st.startupPassed]).toEqual([true, true]);
  });

  it("makes a container ready after its first passing readiness probe, 50 ms after the initial delay", () => {
    const { rt, st, prober, writes } = setup({ readinessProbe: { ...healthy, initialDelaySeconds: 2 } });
    prober.start(rt, st);
    expect(st.ready).toBe(false);
    vi.advanceTimersByTime(2049);
    expect(st.ready).toBe(false);
    vi.advanceTimersByTime(1);
    expect(st.ready).toBe(true);
    expect(writes()).toBe(1);
  });

  it("turns a ready container unready only after failureThreshold failed probes", () => {
    const { ctx, rt, st, prober } = setup({ readinessProbe: { ...healthy, failureThreshold: 2 } });
    prober.start(rt, st);
    vi.advanceTimersByTime(50);
    expect(st.ready).toBe(true);
    delete st.files["/tmp/healthy"];
    vi.advanceTimersByTime(5000);
    expect(st.ready).toBe(true);
    vi.advanceTimersByTime(5000);
    expect(st.ready).toBe(false);
    expect(ctx.eventLines()).toEqual([
      "Warning Unhealthy Readiness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
      "Warning Unhealthy Readiness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
    ]);
  });

  it("restarts a container whose liveness probe fails three times, with the pod's grace period", () => {
    const { ctx, rt, st, prober, kills } = setup({ livenessProbe: healthy });
    st.files = {};
    prober.start(rt, st);
    vi.advanceTimersByTime(50 + 2 * 5000);
    expect(kills).toEqual([7000]);
    expect(ctx.eventLines().at(-1)).toBe("Normal Killing Container app failed liveness probe, will be restarted");
    // Being killed, the container is probed no more.
    vi.advanceTimersByTime(20_000);
    expect(ctx.eventLines()).toHaveLength(4);
  });

  it("holds readiness and liveness back until the startup probe passes", () => {
    const { rt, st, prober } = setup({ startupProbe: healthy, readinessProbe: healthy, livenessProbe: healthy });
    st.files = {};
    prober.start(rt, st);
    vi.advanceTimersByTime(50);
    expect([st.startupPassed, st.ready, st.probe.liveFail, st.probe.startFail]).toEqual([false, false, 0, 1]);
    st.files = { "/tmp/healthy": "" };
    vi.advanceTimersByTime(5000);
    expect(st.startupPassed).toBe(true);
    expect(st.ready).toBe(true);
  });

  it("does not probe while the kubelet is stopped", () => {
    const { ctx, rt, st, prober } = setup({ livenessProbe: healthy });
    st.files = {};
    ctx.process.running = false;
    prober.start(rt, st);
    vi.advanceTimersByTime(60_000);
    expect(ctx.eventLines()).toEqual([]);
  });
});
