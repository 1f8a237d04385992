import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Container } from "../controllers/api-types";
import { fakeKubeletContext, testPod } from "./fake-kubelet-context";
import { createImageManager, pullPolicyOf } from "./image-manager";
import type { PodActions } from "./kubelet-context";
import { containerStateOf, newPodRuntimeState, type NodeImageRecord } from "./pod-runtime-state";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup(container: Partial<Container>) {
  const ctx = fakeKubeletContext();
  const scheduled: number[] = [];
  let statusWrites = 0;
  const actions: PodActions = {
    podEvent: (_rt, _c, type, reason, message) => ctx.events.record({ involvedObject: rt.pod, type, reason, message, component: "kubelet" }),
    schedule: (_rt, ms) => void scheduled.push(ms),
    writeStatus: () => void statusWrites++,
  };
  const pod = testPod("app", { containers: [{ name: "app", ...container }] });
  const rt = newPodRuntimeState(pod, pod.metadata.uid);
  ctx.pods.set(rt.uid, rt);
  const st = containerStateOf(rt, pod.spec.containers[0]!, false);
  const images = createImageManager(ctx, actions);
  return { ctx, rt, st, images, scheduled, statusWrites: () => statusWrites };
}

describe("image manager", () => {
  it("starts with kind's preloaded images", () => {
    const { images } = setup({ image: "busybox:1.36" });
    expect(images.list().map((i) => i.ref)).toEqual(expect.arrayContaining(["docker.io/library/nginx:1.27", "docker.io/library/busybox:1.36"]));
  });

  it("uses a present image without pulling when the policy allows it", () => {
    const { ctx, rt, st, images } = setup({ image: "nginx:1.27" });
    const img = images.ensureImage(rt, st, () => undefined);
    expect(img?.ref).toBe("docker.io/library/nginx:1.27");
    expect(ctx.eventLines()).toEqual(['Normal Pulled Container image "nginx:1.27" already present on machine']);
  });

  it("pulls :latest every time, as the default policy is Always", () => {
    expect(pullPolicyOf({ name: "a", image: "nginx" })).toBe("Always");
    expect(pullPolicyOf({ name: "a", image: "nginx:1.27" })).toBe("IfNotPresent");
    expect(pullPolicyOf({ name: "a", image: "nginx:1.27", imagePullPolicy: "Never" })).toBe("Never");
  });

  it("refuses a missing image with pull policy Never and retries after 10 s", () => {
    const { ctx, rt, st, images, scheduled } = setup({ image: "nginx:1.25", imagePullPolicy: "Never" });
    expect(images.ensureImage(rt, st, () => undefined)).toBeUndefined();
    expect(st.waiting).toEqual({ reason: "ErrImageNeverPull", message: 'Container image "nginx:1.25" is not present with pull policy of Never' });
    expect(ctx.eventLines()).toEqual([
      'Warning ErrImageNeverPull Container image "nginx:1.25" is not present with pull policy of Never',
      "Warning Failed Error: ErrImageNeverPull",
    ]);
    expect(scheduled).toEqual([10_000]);
  });

  it("pulls a missing image, then hands it over and lists it", () => {
    const { ctx, rt, st, images } = setup({ image: "nginx:1.25" });
    const pulled: NodeImageRecord[] = [];
    expect(images.ensureImage(rt, st, (img) => pulled.push(img))).toBeUndefined();
    expect(st).toMatchObject({ pulling: true, waiting: { reason: "ContainerCreating" } });
    vi.advanceTimersByTime(800 + 70_544_896 / 40_000 + 1);
    expect(st.pulling).toBe(false);
    expect(pulled.map((i) => i.ref)).toEqual(["docker.io/library/nginx:1.25"]);
    expect(ctx.eventLines()[1]).toMatch(/^Normal Pulled Successfully pulled image "nginx:1\.25" in 2\.56\ds \(2\.56\ds including waiting\)\. Image size: 70544896 bytes\.$/);
    expect(images.list().some((i) => i.ref === "docker.io/library/nginx:1.25")).toBe(true);
  });

  it("reports a failed pull as ErrImagePull, then backs off with ImagePullBackOff", () => {
    const { ctx, rt, st, images, scheduled } = setup({ image: "nginx:1.27.9999" });
    images.ensureImage(rt, st, () => undefined);
    vi.advanceTimersByTime(600);
    expect(st.waiting?.reason).toBe("ErrImagePull");
    expect(ctx.eventLines().slice(1)).toEqual([expect.stringMatching(/^Warning Failed Failed to pull image "nginx:1\.27\.9999": rpc error: code = NotFound/), "Warning Failed Error: ErrImagePull"]);
    expect(scheduled).toEqual([1000]);
    expect(ctx.journal.lines()[0]).toContain('"PullImage from image service failed"');

    vi.advanceTimersByTime(1000);
    expect(images.ensureImage(rt, st, () => undefined)).toBeUndefined();
    expect(st.waiting?.reason).toBe("ImagePullBackOff");
    expect(st.waiting?.message).toMatch(/^Back-off pulling image "nginx:1\.27\.9999": ErrImagePull: rpc error/);
    expect(ctx.eventLines().slice(-2)).toEqual(['Normal BackOff Back-off pulling image "nginx:1.27.9999"', "Warning Failed Error: ImagePullBackOff"]);
    // The first back-off is 10 s from the failure; the next sync comes just after it ends.
    expect(scheduled[1]).toBe(10_000 - 1000 + 50);
  });

  it("forgets pull back-offs on a kubelet restart", () => {
    const { ctx, rt, st, images } = setup({ image: "nginx:1.27.9999" });
    images.ensureImage(rt, st, () => undefined);
    vi.advanceTimersByTime(601);
    images.resetBackoff();
    images.ensureImage(rt, st, () => undefined);
    expect(ctx.eventLines().at(-1)).toBe('Normal Pulling Pulling image "nginx:1.27.9999"');
  });

  it("drops a pull's result when the pod is gone meanwhile", () => {
    const { ctx, rt, st, images } = setup({ image: "nginx:1.25" });
    const pulled: NodeImageRecord[] = [];
    images.ensureImage(rt, st, (img) => pulled.push(img));
    ctx.pods.delete(rt.uid);
    vi.advanceTimersByTime(10_000);
    expect(pulled).toEqual([]);
    expect(ctx.eventLines()).toEqual(['Normal Pulling Pulling image "nginx:1.25"']);
  });
});
