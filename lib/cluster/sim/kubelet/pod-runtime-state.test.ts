import { describe, expect, it } from "vitest";
import type { Pod } from "../controllers/api-types";
import { clearContainerTimers, containerStateOf, isInitContainer, newPodRuntimeState, terminationGraceMs } from "./pod-runtime-state";

const pod: Pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace: "default", uid: "u1" },
  spec: { initContainers: [{ name: "setup", image: "busybox:1.36" }], containers: [{ name: "setup", image: "nginx:1.27" }] },
};

describe("pod runtime state", () => {
  it("marks a state with a config hash as a static pod", () => {
    expect(newPodRuntimeState(pod, "u1").isStatic).toBe(false);
    const st = newPodRuntimeState(pod, "h", "h");
    expect(st).toMatchObject({ isStatic: true, staticHash: "h", terminating: false, gone: false });
  });

  it("keeps an init container apart from an app container of the same name", () => {
    const rt = newPodRuntimeState(pod, "u1");
    const init = containerStateOf(rt, pod.spec.initContainers![0]!, true);
    const app = containerStateOf(rt, pod.spec.containers[0]!, false);
    expect(init).not.toBe(app);
    expect([...rt.containers.keys()]).toEqual(["init:setup", "setup"]);
    expect(containerStateOf(rt, pod.spec.containers[0]!, false)).toBe(app);
    expect(app).toMatchObject({ restartCount: 0, ready: false, pulling: false, init: false });
  });

  it("cancels every pending timer of a container", () => {
    const rt = newPodRuntimeState(pod, "u1");
    const st = containerStateOf(rt, pod.spec.containers[0]!, false);
    let cancelled = 0;
    st.timers.push(() => cancelled++, () => cancelled++);
    clearContainerTimers(st);
    expect(cancelled).toBe(2);
    expect(st.timers).toEqual([]);
  });

  it("tells init containers by the pod spec and defaults the grace period to 30 s", () => {
    const rt = newPodRuntimeState({ ...pod, spec: { containers: [{ name: "a" }], initContainers: [{ name: "i" }] } }, "u1");
    expect(isInitContainer(rt, { name: "i" })).toBe(true);
    expect(isInitContainer(rt, { name: "a" })).toBe(false);
    expect(terminationGraceMs(rt)).toBe(30_000);
    rt.pod.spec.terminationGracePeriodSeconds = 5;
    expect(terminationGraceMs(rt)).toBe(5000);
  });
});
