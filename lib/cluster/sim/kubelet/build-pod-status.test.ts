import { describe, expect, it } from "vitest";
import { IMAGE_CATALOGUE } from "../catalogue/images";
import type { Pod } from "../controllers/api-types";
import { buildPodStatus } from "./build-pod-status";
import { testPod } from "./fake-kubelet-context";
import type { ContainerRecord, SandboxRecord } from "./kubelet-seams";
import { containerStateOf, newPodRuntimeState, type NodeImageRecord } from "./pod-runtime-state";

const now = new Date("2026-03-21T08:00:00Z");
const nginx = IMAGE_CATALOGUE.find((i) => i.repository === "docker.io/library/nginx")!;
const image = (preloaded: boolean): NodeImageRecord => ({ ref: "docker.io/library/nginx:1.27", id: "a".repeat(64), digest: "b".repeat(64), size: 1, image: nginx, preloaded });

function record(state: ContainerRecord["state"], extra: Partial<ContainerRecord> = {}): ContainerRecord {
  return { id: "c".repeat(64), podSandboxId: "s", podUid: "u", podName: "web", namespace: "default", name: "web", attempt: 0, image: "docker.io/library/nginx:1.27", imageId: "sha256:x", state, createdAt: now, startedAt: now, logs: [], ...extra };
}
const sandbox: SandboxRecord = { id: "s", podUid: "u", podName: "web", namespace: "default", attempt: 0, createdAt: now, state: "Ready", ip: "10.244.1.7" };

function runtime(pod: Pod) {
  return newPodRuntimeState(pod, pod.metadata.uid);
}

describe("build pod status", () => {
  it("keeps a pod without a sandbox Pending with ContainerCreating", () => {
    const rt = runtime(testPod("web", { containers: [{ name: "web", image: "nginx:1.27" }] }));
    const s = buildPodStatus(rt, undefined, now, "172.18.0.3");
    expect(s.phase).toBe("Pending");
    expect(s.containerStatuses?.[0]).toMatchObject({ state: { waiting: { reason: "ContainerCreating" } }, ready: false, imageID: "", image: "docker.io/library/nginx:1.27" });
    expect(s.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(["PodReadyToStartContainers=False", "Initialized=True", "Ready=False", "ContainersReady=False", "PodScheduled=True"]);
    expect(s.conditions?.find((c) => c.type === "Ready")).toMatchObject({ reason: "ContainersNotReady", message: "containers with unready status: [web]" });
    expect([s.hostIP, s.podIP, s.qosClass]).toEqual(["172.18.0.3", undefined, "BestEffort"]);
  });

  it("shows app containers as PodInitializing while an init container has not finished", () => {
    const rt = runtime(testPod("web", { initContainers: [{ name: "setup", image: "busybox:1.36" }], containers: [{ name: "web", image: "nginx:1.27" }] }));
    const s = buildPodStatus(rt, undefined, now, "172.18.0.3");
    expect(s.containerStatuses?.[0]?.state.waiting?.reason).toBe("PodInitializing");
    expect(s.initContainerStatuses?.[0]?.state.waiting?.reason).toBe("ContainerCreating");
    expect(s.conditions?.find((c) => c.type === "Initialized")).toMatchObject({ status: "False", reason: "ContainersNotInitialized", message: "containers with incomplete status: [setup]" });
  });

  it("reports a running, ready container as a Ready pod with the sandbox's IP", () => {
    const rt = runtime(testPod("web", { containers: [{ name: "web", image: "nginx:1.27" }] }));
    rt.sandbox = sandbox;
    const st = containerStateOf(rt, rt.pod.spec.containers[0]!, false);
    Object.assign(st, { current: record("Running"), ready: true, startupPassed: true, image: image(true) });
    const s = buildPodStatus(rt, undefined, now, "172.18.0.3");
    expect(s.phase).toBe("Running");
    expect(s.containerStatuses?.[0]).toMatchObject({ ready: true, started: true, state: { running: { startedAt: "2026-03-21T08:00:00Z" } }, containerID: `containerd://${"c".repeat(64)}`, imageID: `sha256:${"a".repeat(64)}` });
    expect(s.conditions?.every((c) => c.status === "True")).toBe(true);
    expect([s.podIP, s.podIPs]).toEqual(["10.244.1.7", [{ ip: "10.244.1.7" }]]);
  });

  it("names a pulled image by its repository digest and a terminating container as not ready", () => {
    const rt = runtime(testPod("web", { containers: [{ name: "web", image: "nginx:1.27" }] }));
    const st = containerStateOf(rt, rt.pod.spec.containers[0]!, false);
    Object.assign(st, { current: record("Running"), ready: true, startupPassed: true, image: image(false) });
    rt.terminating = true;
    const s = buildPodStatus(rt, undefined, now, "172.18.0.3");
    expect(s.containerStatuses?.[0]).toMatchObject({ ready: false, imageID: `docker.io/library/nginx@sha256:${"b".repeat(64)}` });
  });

  it("shows a crash loop as waiting with the dead container as last state, and the pod Running", () => {
    const rt = runtime(testPod("crash"));
    const st = containerStateOf(rt, rt.pod.spec.containers[0]!, false);
    Object.assign(st, { current: record("Exited", { exitCode: 1, reason: "Error", finishedAt: now }), waiting: { reason: "CrashLoopBackOff", message: "back-off 10s" }, restartCount: 1 });
    const s = buildPodStatus(rt, undefined, now, "172.18.0.3");
    expect(s.phase).toBe("Running");
    expect(s.containerStatuses?.[0]).toMatchObject({ restartCount: 1, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, reason: "Error" } } });
  });

  it("ends a terminated pod Failed when a container did not exit 0, with PodCompleted", () => {
    const rt = runtime(testPod("job", { restartPolicy: "Always" }));
    const st = containerStateOf(rt, rt.pod.spec.containers[0]!, false);
    st.current = record("Exited", { exitCode: 137, reason: "Error", finishedAt: now });
    rt.terminating = true;
    rt.gone = true;
    const s = buildPodStatus(rt, undefined, now, "172.18.0.3");
    expect(s.phase).toBe("Failed");
    expect(s.conditions?.find((c) => c.type === "Ready")).toMatchObject({ status: "False", reason: "PodCompleted" });
  });

  it("keeps the transition times of conditions that did not change and the scheduler's PodScheduled", () => {
    const rt = runtime(testPod("web"));
    const first = buildPodStatus(rt, { conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: "2026-03-21T07:00:00Z" }], qosClass: "Burstable" }, now, "172.18.0.3");
    const later = buildPodStatus(rt, first, new Date("2026-03-21T09:00:00Z"), "172.18.0.3");
    expect(later.conditions?.find((c) => c.type === "Ready")?.lastTransitionTime).toBe("2026-03-21T08:00:00Z");
    expect(later.conditions?.find((c) => c.type === "PodScheduled")?.lastTransitionTime).toBe("2026-03-21T07:00:00Z");
    expect(later.qosClass).toBe("Burstable");
  });
});
