import type { CoreV1Event, V1Node, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { K8sApis } from "./context";
import { createProbes, KUBELET_PICKUP_MS, nodeRefusesNewPods, podCannotStart, PROBE_NAMESPACE } from "./probes";
import { realEvent, realNode, realPod, REAL_MESSAGES } from "./testdata/real-objects";

describe("nodeRefusesNewPods", () => {
  it("lets a Ready, untainted node take new pods", () => {
    expect(nodeRefusesNewPods(realNode("vm"))).toBeUndefined();
  });

  it("refuses a node whose runtime network is not ready, by its state and not by the Ready message", () => {
    expect(nodeRefusesNewPods(realNode("vm", { ready: false }))).toBe("node vm is NotReady");
  });

  it("refuses a node carrying the not-ready or unreachable taint, and a cordoned node", () => {
    expect(nodeRefusesNewPods(realNode("vm", { taints: [{ key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }] }))).toBe(
      "node vm has the taint node.kubernetes.io/not-ready:NoSchedule",
    );
    expect(nodeRefusesNewPods(realNode("vm", { taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoExecute" }] }))).toBe(
      "node vm has the taint node.kubernetes.io/unreachable:NoExecute",
    );
    expect(nodeRefusesNewPods(realNode("vm", { unschedulable: true }))).toBe("node vm is cordoned (SchedulingDisabled)");
  });

  it("ignores taints that say nothing about the node's health", () => {
    expect(nodeRefusesNewPods(realNode("vm", { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] }))).toBeUndefined();
  });
});

describe("podCannotStart", () => {
  const creating = realPod("p", { container: { state: { waiting: { reason: "ContainerCreating" } } } });

  it("waits on a pod that is only being created, with nothing but normal events", () => {
    expect(podCannotStart(creating, [realEvent(creating, "Normal", "Scheduled", REAL_MESSAGES.scheduled, "default-scheduler"), realEvent(creating, "Normal", "Pulling", REAL_MESSAGES.pulling)])).toBeUndefined();
  });

  it("decides from a sandbox error while the pod is still ContainerCreating", () => {
    expect(podCannotStart(creating, [realEvent(creating, "Warning", "FailedCreatePodSandBox", REAL_MESSAGES.sandbox)])).toBe(
      "the probe pod is ContainerCreating (FailedCreatePodSandBox)",
    );
  });

  it("decides from the kubelet's network-not-ready event", () => {
    expect(podCannotStart(creating, [realEvent(creating, "Warning", "NetworkNotReady", REAL_MESSAGES.networkNotReady)])).toBe(
      "the probe pod is ContainerCreating (NetworkNotReady)",
    );
  });

  it("decides from FailedScheduling while the pod is Pending, without quoting the scheduler", () => {
    const pending = realPod("p", {
      conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: REAL_MESSAGES.failedSchedulingTaint }],
    });
    const r = podCannotStart(pending, [realEvent(pending, "Warning", "FailedScheduling", REAL_MESSAGES.failedSchedulingTaint, "default-scheduler")]);
    expect(r).toBe("the probe pod is Pending (not scheduled: Unschedulable) (FailedScheduling)");
    expect(r).not.toMatch(/taint/);
    // The condition alone is evidence too (events can be dropped or rate-limited).
    expect(podCannotStart(pending, [])).toBe("the probe pod is Pending (not scheduled: Unschedulable)");
  });

  it.each(["ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "CreateContainerConfigError", "CrashLoopBackOff"])(
    "decides from the container waiting in %s",
    (reason) => {
      const pod = realPod("p", { container: { state: { waiting: { reason, message: REAL_MESSAGES.pullFailed } } } });
      expect(podCannotStart(pod, [])).toBe(`the probe pod is ${reason}`);
    },
  );

  it("decides when a long-running probe's container has exited", () => {
    const pod = realPod("p", { phase: "Running", container: { restartCount: 1, state: { running: { startedAt: new Date() } } } });
    expect(podCannotStart(pod, [])).toBe("the probe pod's container exited");
  });

  it("ignores warnings about other pods and about an earlier pod of the same name", () => {
    const other = realPod("q");
    const earlier = realPod("p", { uid: "uid-earlier" });
    expect(
      podCannotStart(creating, [
        realEvent(other, "Warning", "FailedCreatePodSandBox", REAL_MESSAGES.sandbox),
        realEvent(earlier, "Warning", "FailedScheduling", REAL_MESSAGES.failedSchedulingSelector),
      ]),
    ).toBeUndefined();
  });
});

/**
 * A scripted API for one probe pod: the node and the pod's successive states as given. It
 * records the calls, so tests can tell what the probe decided from and that it cleaned up.
 */
function scriptedApi(opts: { node: V1Node; podStates: ((pod: V1Pod) => V1Pod)[]; events?: (pod: V1Pod) => CoreV1Event[] }) {
  const calls: string[] = [];
  let created: V1Pod | undefined;
  let reads = 0;
  const core = {
    readNode: async () => (calls.push("readNode"), opts.node),
    readNamespace: async () => (calls.push("readNamespace"), { metadata: { name: PROBE_NAMESPACE } }),
    createNamespacedPod: async ({ body }: { body: V1Pod }) => {
      calls.push("createPod");
      created = { ...body, metadata: { ...body.metadata, namespace: PROBE_NAMESPACE, uid: "uid-probe" } };
      return created;
    },
    readNamespacedPod: async () => {
      calls.push("readPod");
      const state = opts.podStates[Math.min(reads++, opts.podStates.length - 1)]!;
      return state(created!);
    },
    listNamespacedEvent: async () => (calls.push("listEvents"), { items: opts.events?.(created!) ?? [] }),
    deleteNamespacedPod: async () => (calls.push("deletePod"), {}),
  };
  return { k8s: { core } as unknown as K8sApis, calls };
}

const withStatus = (status: V1Pod["status"]) => (pod: V1Pod): V1Pod => ({ ...pod, status });

describe("probes.podRuns decides from the evidence", () => {
  it("passes once the pod runs with an IP", async () => {
    const api = scriptedApi({
      node: realNode("w"),
      podStates: [
        withStatus({ phase: "Pending", containerStatuses: [{ name: "probe", image: "nginx:1.27", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } }] }),
        withStatus({ phase: "Running", podIP: "10.244.1.7", containerStatuses: [{ name: "probe", image: "nginx:1.27", imageID: "", ready: true, restartCount: 0, state: { running: {} } }] }),
      ],
    });
    const r = await createProbes({ k8s: api.k8s, signal: new AbortController().signal }).podRuns({ node: "w", image: "nginx:1.27" });
    expect(r).toEqual({ ok: true, detail: "a new pod runs on w with IP 10.244.1.7" });
    expect(api.calls.at(-1)).toBe("deletePod");
  });

  it("without a node, leaves the pod to the scheduler (tolerating the control-plane taint) and reports where it ran", async () => {
    let body: V1Pod | undefined;
    const api = scriptedApi({
      node: realNode("w"),
      podStates: [
        (pod) => ((body = pod), { ...pod, spec: { ...pod.spec!, nodeName: "cp" }, status: { phase: "Running", podIP: "10.244.0.9", containerStatuses: [{ name: "probe", image: "nginx:1.27", imageID: "", ready: true, restartCount: 0, state: { running: {} } }] } }),
      ],
    });
    const r = await createProbes({ k8s: api.k8s, signal: new AbortController().signal }).podRuns({ image: "nginx:1.27" });
    expect(r).toEqual({ ok: true, detail: "a new pod runs on cp with IP 10.244.0.9" });
    expect(api.calls).not.toContain("readNode");
    expect(body?.spec?.nodeName).toBeUndefined();
    expect(body?.spec?.tolerations).toEqual([{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }]);
  });

  it("times out a pod the scheduler never places, with no event to decide from", async () => {
    const api = scriptedApi({ node: realNode("w"), podStates: [withStatus({ phase: "Pending" })] });
    let t = 0;
    const r = await createProbes({ k8s: api.k8s, signal: new AbortController().signal, now: () => (t += 1000) }).podRuns({ image: "nginx:1.27", timeoutMs: 5000 });
    expect(r).toEqual({ ok: false, detail: "after 5 s the probe pod is Pending" });
    expect(api.calls.at(-1)).toBe("deletePod");
  });

  it("fails with the sandbox error on the first look while the pod is still Pending, instead of waiting out its timeout", async () => {
    const api = scriptedApi({
      node: realNode("w"),
      podStates: [withStatus({ phase: "Pending", containerStatuses: [{ name: "probe", image: "nginx:1.27", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } }] })],
      events: (pod) => [realEvent(pod, "Warning", "FailedCreatePodSandBox", REAL_MESSAGES.sandbox)],
    });
    const r = await createProbes({ k8s: api.k8s, signal: new AbortController().signal }).podRuns({ node: "w", image: "nginx:1.27", timeoutMs: 600_000 });
    expect(r).toEqual({ ok: false, detail: "the probe pod is ContainerCreating (FailedCreatePodSandBox)" });
    expect(api.calls.filter((c) => c === "readPod")).toHaveLength(1);
    expect(api.calls.at(-1)).toBe("deletePod");
  });

  it("does not create a pod at all on a node that is NotReady", async () => {
    const api = scriptedApi({ node: realNode("w", { ready: false }), podStates: [] });
    const r = await createProbes({ k8s: api.k8s, signal: new AbortController().signal }).podRuns({ node: "w", image: "nginx:1.27", timeoutMs: 600_000 });
    expect(r).toEqual({ ok: false, detail: "node w is NotReady" });
    expect(api.calls).toEqual(["readNode"]);
  });

  it("fails a pod bound to a node whose kubelet says nothing about it, once the pick-up time has passed", async () => {
    const api = scriptedApi({ node: realNode("w"), podStates: [withStatus({ phase: "Pending" })] });
    const reads = () => api.calls.filter((c) => c === "readPod").length;
    // The clock reaches the pick-up time at the third look at the pod.
    const probes = createProbes({ k8s: api.k8s, signal: new AbortController().signal, now: () => (reads() >= 3 ? KUBELET_PICKUP_MS : 0) });
    const r = await probes.podRuns({ node: "w", image: "nginx:1.27", timeoutMs: 600_000 });
    expect(r).toEqual({ ok: false, detail: "the probe pod is still Pending on w, with no status from the node" });
    // It waited while the kubelet still had time: two looks at the pod before the third decided.
    expect(reads()).toBe(3);
  });

  it("fails at once when the API server stops answering after the create", async () => {
    const api = scriptedApi({
      node: realNode("w"),
      podStates: [
        () => {
          throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED" });
        },
      ],
    });
    const r = await createProbes({ k8s: api.k8s, signal: new AbortController().signal }).podRuns({ node: "w", image: "nginx:1.27", timeoutMs: 600_000 });
    expect(r).toEqual({ ok: false, detail: "could not read the probe pod: connect ECONNREFUSED 127.0.0.1:6443" });
  });
});

describe("podRuns without a node (left to the scheduler)", () => {
  it("passes once the scheduler binds the pod and it runs, tolerating only the control-plane taint, and cleans up", async () => {
    let body: V1Pod | undefined;
    const api = scriptedApi({
      node: realNode("w"),
      podStates: [
        (pod) => ((body = pod), withStatus({ phase: "Pending" })(pod)),
        (pod) => ({ ...pod, spec: { ...pod.spec!, nodeName: "cp" }, status: { phase: "Running", podIP: "10.244.0.9", containerStatuses: [{ name: "probe", image: "nginx:1.27", imageID: "", ready: true, restartCount: 0 }] } }),
      ],
    });
    const r = await createProbes({ k8s: api.k8s, signal: new AbortController().signal }).podRuns({ image: "nginx:1.27", timeoutMs: 600_000 });
    expect(r).toEqual({ ok: true, detail: "a new pod runs on cp with IP 10.244.0.9" });
    expect(body?.spec?.nodeName).toBeUndefined();
    expect(body?.spec?.tolerations).toEqual([{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }]);
    expect(api.calls.at(-1)).toBe("deletePod");
  });

  it("fails when no scheduler binds the pod within its time", async () => {
    const api = scriptedApi({ node: realNode("w"), podStates: [withStatus({ phase: "Pending" })] });
    let t = 0;
    const r = await createProbes({ k8s: api.k8s, signal: new AbortController().signal, now: () => (t += 1000) }).podRuns({ image: "nginx:1.27", timeoutMs: 5000 });
    expect(r).toEqual({ ok: false, detail: "after 5 s the probe pod is Pending" });
  });
});
