import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Pod } from "../controllers/api-types";
import { fakeKubeletContext, testPod } from "./fake-kubelet-context";
import { PodIpAllocator } from "./pod-ip-allocator";
import { containerStateOf, newPodRuntimeState } from "./pod-runtime-state";
import { createPodStatusManager } from "./pod-status-manager";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup() {
  const ctx = fakeKubeletContext();
  const ips = new PodIpAllocator();
  const mirrors: string[] = [];
  const status = createPodStatusManager(ctx, { hostIP: () => "172.18.0.3", ips, ensureMirror: (rt) => void mirrors.push(rt.pod.metadata.name) });
  const created = ctx.store.create("pods", testPod("web", { initContainers: [{ name: "setup", image: "busybox:1.36" }] })) as Pod;
  const rt = newPodRuntimeState(created, created.metadata.uid);
  return { ctx, ips, status, rt, mirrors };
}
const apiPod = (ctx: ReturnType<typeof fakeKubeletContext>) => ctx.store.get("pods", "default", "web") as Pod;

describe("pod status manager", () => {
  it("writes the status of the API pod with the runtime's uid", () => {
    const { ctx, status, rt } = setup();
    status.write(rt);
    expect(apiPod(ctx).status?.phase).toBe("Pending");
    expect(apiPod(ctx).status?.hostIP).toBe("172.18.0.3");
  });

  it("leaves a new pod that reuses the name alone", () => {
    const { ctx, status, rt } = setup();
    rt.uid = "an-older-pod";
    status.write(rt);
    expect(status.currentPodObject(rt)).toBeUndefined();
    expect(apiPod(ctx).status).toBeUndefined();
  });

  it("writes nothing while the kubelet is stopped, but the final write still goes out", () => {
    const { ctx, status, rt } = setup();
    ctx.process.running = false;
    status.write(rt);
    expect(apiPod(ctx).status).toBeUndefined();
    status.writeFinal(rt);
    expect(apiPod(ctx).status?.phase).toBe("Pending");
  });

  it("skips a write that changes nothing", () => {
    const { ctx, status, rt } = setup();
    status.write(rt);
    const rv = apiPod(ctx).metadata.resourceVersion;
    status.write(rt);
    expect(apiPod(ctx).metadata.resourceVersion).toBe(rv);
  });

  it("republishes a static pod's mirror before writing its status", () => {
    const { status, rt, mirrors } = setup();
    rt.isStatic = true;
    rt.staticHash = "h";
    status.write(rt);
    expect(mirrors).toEqual(["web"]);
  });

  it("tears down a finished pod's sandbox and gives its IP back", () => {
    const { ips, status, rt } = setup();
    const release = vi.spyOn(ips, "release");
    rt.pod.spec.restartPolicy = "Never";
    rt.pod.spec.initContainers = [];
    rt.sandbox = { id: "s", podUid: rt.uid, podName: "web", namespace: "default", attempt: 0, createdAt: new Date(), state: "Ready", ip: "10.244.1.2" };
    const st = containerStateOf(rt, rt.pod.spec.containers[0]!, false);
    st.current = { id: "c", podSandboxId: "s", podUid: rt.uid, podName: "web", namespace: "default", name: "web", attempt: 0, image: "i", imageId: "sha256:i", state: "Exited", exitCode: 0, createdAt: new Date(), logs: [] };
    status.write(rt);
    expect(rt.sandbox.state).toBe("NotReady");
    expect(release).toHaveBeenCalledWith("10.244.1.2");
  });

  it("records container events with the container's field path", () => {
    const { ctx, status, rt } = setup();
    status.podEvent(rt, { name: "setup" }, "Normal", "Created", "Created container: setup");
    status.podEvent(rt, { name: "web" }, "Normal", "Started", "Started container web");
    status.podEvent(rt, undefined, "Warning", "FailedMount", "x");
    expect(ctx.recorded.map((e) => e.fieldPath)).toEqual(["spec.initContainers{setup}", "spec.containers{web}", undefined]);
    expect(ctx.recorded[0]).toMatchObject({ component: "kubelet", host: "kind-worker" });
  });
});
