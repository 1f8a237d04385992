import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Container } from "../controllers/api-types";
import { createContainerRuntime } from "./container-runtime";
import { fakeKubeletContext, testPod } from "./fake-kubelet-context";
import { createImageManager } from "./image-manager";
import type { PodActions } from "./kubelet-context";
import { containerStateOf, newPodRuntimeState } from "./pod-runtime-state";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup(container: Partial<Container>) {
  const ctx = fakeKubeletContext();
  const scheduled: number[] = [];
  const pod = testPod("app", { containers: [{ name: "app", image: "busybox:1.36", ...container }] });
  const rt = newPodRuntimeState(pod, pod.metadata.uid);
  ctx.pods.set(rt.uid, rt);
  rt.sandbox = { id: "sb1", podUid: rt.uid, podName: "app", namespace: "default", attempt: 0, createdAt: new Date(), state: "Ready", ip: "10.244.1.2" };
  const actions: PodActions = {
    podEvent: (_rt, _c, type, reason, message) => ctx.events.record({ involvedObject: pod, type, reason, message, component: "kubelet" }),
    schedule: (_rt, ms) => void scheduled.push(ms),
    writeStatus: () => undefined,
  };
  const probed: string[] = [];
  const runtime = createContainerRuntime(ctx, {
    ...actions,
    images: createImageManager(ctx, actions),
    hostIP: () => "172.18.0.3",
    podCidrBase: () => "10.244.1",
    currentPodObject: () => undefined,
    startProbes: (_rt, st) => void probed.push(st.spec.name),
  });
  runtime.addSandbox(rt.sandbox);
  const st = containerStateOf(rt, pod.spec.containers[0]!, false);
  return { ctx, rt, st, runtime, scheduled, probed };
}

describe("container runtime", () => {
  it("creates and starts a container, runs its plan and reports its exit", () => {
    const { ctx, rt, st, runtime, scheduled, probed } = setup({ args: ["sh", "-c", "echo hello; exit 3"] });
    runtime.startContainer(rt, st);
    expect(st.current?.state).toBe("Running");
    expect(ctx.eventLines()).toEqual(['Normal Pulled Container image "busybox:1.36" already present on machine', "Normal Created Created container: app", "Normal Started Started container app"]);
    expect(probed).toEqual(["app"]);
    vi.advanceTimersByTime(1000);
    expect(st.current).toMatchObject({ state: "Exited", exitCode: 3, reason: "Error" });
    expect(runtime.containerLogs(st.current!.id).map((l) => l.text)).toEqual(["hello"]);
    expect(scheduled).toEqual([1000]);
    expect(ctx.journal.lines().map((l) => l.match(/"Type":"(\w+)"/)?.[1])).toEqual(["ContainerStarted", "ContainerDied"]);
  });

  it("restarts a failed container once at once, then waits out the crash-loop back-off", () => {
    const { ctx, rt, st, runtime, scheduled } = setup({ args: ["sh", "-c", "exit 1"] });
    runtime.startContainer(rt, st);
    vi.advanceTimersByTime(1000);
    runtime.startContainer(rt, st);
    expect(st.restartCount).toBe(1);
    vi.advanceTimersByTime(1000);
    runtime.startContainer(rt, st);
    expect(st.restartCount).toBe(1);
    expect(st.waiting).toEqual({ reason: "CrashLoopBackOff", message: "back-off 10s restarting failed container=app pod=app_default(uid-app)" });
    expect(ctx.eventLines().at(-1)).toBe("Warning BackOff Back-off restarting failed container app in pod app_default(uid-app)");
    expect(scheduled.at(-1)).toBeGreaterThan(9000);
    // One dead container is kept per name: the first one is gone, the second is `previous`.
    expect(runtime.containers()).toHaveLength(2);
    runtime.resetBackoff();
    runtime.startContainer(rt, st);
    expect(st.restartCount).toBe(2);
  });

  it("kills a process that ignores SIGTERM only after the grace period, with 137", () => {
    const { rt, st, runtime } = setup({ args: ["sleep", "3600"] });
    runtime.startContainer(rt, st);
    let done = false;
    runtime.killContainer(rt, st, 5000, () => (done = true));
    vi.advanceTimersByTime(4999);
    expect(st.current?.state).toBe("Running");
    vi.advanceTimersByTime(1);
    expect(st.current).toMatchObject({ state: "Exited", exitCode: 137 });
    expect(done).toBe(true);
  });

  it("tells whoever is waiting for a kill when the process exits on its own during the grace period", () => {
    // A crash-looping etcd exits by itself while the kubelet waits out its grace period: the
    // pod's termination must still finish, or the static pod is never replaced.
    const { rt, st, runtime } = setup({ args: ["sleep", "3600"] });
    runtime.startContainer(rt, st);
    const done: string[] = [];
    runtime.killContainer(rt, st, 30_000, () => done.push("first"));
    // A second kill while the first is under way (a pod terminated as its restart was killing it).
    runtime.killContainer(rt, st, 30_000, () => done.push("second"));
    vi.advanceTimersByTime(1000);
    expect(done).toEqual([]);
    runtime.exitContainer(st.current!.id, 1, ["crashed"]);
    expect(st.current).toMatchObject({ state: "Exited", exitCode: 1 });
    expect(done).toEqual(["first", "second"]);
    vi.advanceTimersByTime(60_000);
    expect(done).toEqual(["first", "second"]);
  });

  it("runs kubectl exec in a running container and keeps the files it creates", () => {
    const { rt, st, runtime } = setup({ args: ["sleep", "3600"] });
    expect(() => runtime.exec({ namespace: "default", pod: "app", command: ["ls"] })).toThrow('container not found ("app")');
    runtime.startContainer(rt, st);
    expect(runtime.exec({ namespace: "default", pod: "app", command: ["sh", "-c", "echo hi; touch /tmp/ready"] })).toEqual({ stdout: "hi\n", stderr: "", exitCode: 0 });
    expect("/tmp/ready" in st.files).toBe(true);
  });

  it("forgets a dead container on crictl rm but never a running one", () => {
    const { rt, st, runtime } = setup({ args: ["sleep", "3600"] });
    runtime.startContainer(rt, st);
    const id = st.current!.id;
    runtime.removeContainer(id);
    expect(runtime.containers()).toHaveLength(1);
    runtime.exitContainer(id, 1, ["lost the lease"]);
    expect(runtime.containerLogs(id).at(-1)).toMatchObject({ stream: "stderr", text: "lost the lease" });
    runtime.removeContainer(id);
    expect(runtime.containers()).toEqual([]);
  });

  it("streams new log lines to followers", () => {
    const { rt, st, runtime } = setup({ args: ["sleep", "3600"] });
    runtime.startContainer(rt, st);
    const seen: string[] = [];
    const off = runtime.subscribeLogs(st.current!.id, (l) => seen.push(l.text));
    runtime.appendLog(st.current!, "one");
    off();
    runtime.appendLog(st.current!, "two");
    expect(seen).toEqual(["one"]);
  });

  it("removes a gone pod's containers and sandboxes", () => {
    const { rt, st, runtime } = setup({ args: ["sleep", "3600"] });
    runtime.startContainer(rt, st);
    runtime.removePodRecords(rt);
    expect([runtime.containers(), runtime.sandboxes()]).toEqual([[], []]);
  });
});
