import { afterEach, describe, expect, it } from "vitest";
import type { Node, Pod } from "./api-types";
import { fitErrorMessage } from "./scheduler";
import { startWorkloadSim, type WorkloadSim } from "./start-workload-sim";
import { NETWORK_NOT_READY_MESSAGE } from "../kubelet/node-status-manager";

let sim: WorkloadSim | undefined;
afterEach(() => sim?.stop());

function pod(name: string, extra: Partial<Pod["spec"]> = {}, cpu?: string): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "cap", uid: "" },
    spec: { containers: [{ name, image: "nginx:1.27", ...(cpu ? { resources: { requests: { cpu } } } : {}) }], ...extra },
  };
}

const failed = (s: WorkloadSim, name: string) => s.eventsFor("Pod", "cap", name).find((e) => e.reason === "FailedScheduling")?.message;

describe("scheduler", () => {
  it("formats FitError like kube-scheduler: sorted counts, then the preemption summary", () => {
    expect(
      fitErrorMessage(3, [
        { ok: false, reasons: ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"], resolvable: false },
        { ok: false, reasons: ["Insufficient cpu"], resolvable: true },
        { ok: false, reasons: ["Insufficient cpu"], resolvable: true },
      ]),
    ).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
  });

  it("reports nodeSelector, taint and resource failures with the real wording", async () => {
    sim = startWorkloadSim({ bare: true, workers: 2, timeScale: 20 });
    const s = sim;
    s.apply("pods", pod("stuck", { nodeSelector: { nope: "x" } }));
    s.apply("pods", pod("big", {}, "64"));
    s.apply("pods", { ...pod("hungry"), spec: { containers: [{ name: "hungry", image: "nginx:1.27", resources: { requests: { memory: "64Gi", cpu: "100m" } } }] } });
    s.apply("pods", pod("cp-only", { nodeSelector: { "node-role.kubernetes.io/control-plane": "" }, tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }] }, "64"));
    await s.waitFor("four FailedScheduling", () => failed(s, "stuck") && failed(s, "big") && failed(s, "cp-only") && failed(s, "hungry"));
    expect(failed(s, "hungry")).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
    // TaintToleration runs before NodeAffinity, so the control plane counts under its taint.
    expect(failed(s, "stuck")).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    expect(failed(s, "big")).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
    expect(failed(s, "cp-only")).toBe(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
    );
    const stuck = s.store.get("pods", "cap", "stuck") as Pod;
    expect(stuck.status?.conditions?.find((c) => c.type === "PodScheduled")).toMatchObject({ status: "False", reason: "Unschedulable" });
    // Labelling a worker lets the pending pod schedule there.
    const w = s.store.get("nodes", undefined, "kind-worker2") as Node;
    w.metadata.labels = { ...w.metadata.labels, nope: "x" };
    s.store.update("nodes", w, { force: true });
    await s.waitFor("stuck scheduled", () => (s.store.get("pods", "cap", "stuck") as Pod).spec.nodeName === "kind-worker2");
    // Pods of a workload spread over the workers, never onto the tainted control plane.
    for (let i = 0; i < 4; i++) s.apply("pods", pod(`p${i}`));
    await s.waitFor("4 bound", () => [0, 1, 2, 3].every((i) => (s.store.get("pods", "cap", `p${i}`) as Pod).spec.nodeName));
    const placed = [0, 1, 2, 3].map((i) => (s.store.get("pods", "cap", `p${i}`) as Pod).spec.nodeName);
    expect(placed).not.toContain("kind-control-plane");
    expect(new Set(placed).size).toBe(2);
  });

  it("keeps new pods Pending on a node whose CNI is not ready, and bound ones ContainerCreating", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    s.apply("pods", pod("before"));
    await s.waitFor("before running", () => (s.store.get("pods", "cap", "before") as Pod).status?.phase === "Running");
    s.kubelets.get("kind-control-plane")!.setNetworkReady(false);
    await s.waitFor("taint", () => (s.store.get("nodes", undefined, "kind-control-plane") as Node).spec.taints?.some((t) => t.key === "node.kubernetes.io/not-ready"));
    const node = s.store.get("nodes", undefined, "kind-control-plane") as Node;
    expect(node.status?.conditions?.find((c) => c.type === "Ready")).toMatchObject({ status: "False", reason: "KubeletNotReady", message: NETWORK_NOT_READY_MESSAGE });
    expect(node.spec.taints).toEqual([{ key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }]);
    s.apply("pods", pod("new"));
    s.apply("pods", pod("bound", { nodeName: "kind-control-plane" }));
    await s.waitFor("events", () => failed(s, "new") && s.eventsFor("Pod", "cap", "bound").some((e) => e.reason === "NetworkNotReady"));
    expect(failed(s, "new")).toBe(
      "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
    const ev = s.eventsFor("Pod", "cap", "bound").find((e) => e.reason === "NetworkNotReady")!;
    expect(ev.message).toBe(`network is not ready: ${NETWORK_NOT_READY_MESSAGE}`);
    expect(ev.type).toBe("Warning");
    const bound = s.store.get("pods", "cap", "bound") as Pod;
    expect(bound.status?.phase).toBe("Pending");
    expect(bound.status?.containerStatuses?.[0]?.state.waiting?.reason).toBe("ContainerCreating");
    expect((s.store.get("pods", "cap", "before") as Pod).status?.phase).toBe("Running");
    s.kubelets.get("kind-control-plane")!.setNetworkReady(true);
    await s.waitFor("recovered", () => (s.store.get("pods", "cap", "new") as Pod).status?.phase === "Running" && (s.store.get("pods", "cap", "bound") as Pod).status?.phase === "Running");
  });

  it("marks a node Unknown when its kubelet stops posting status, and evicts after tolerationSeconds", async () => {
    sim = startWorkloadSim({ bare: true, workers: 1, timeScale: 50 });
    const s = sim;
    const node = () => s.store.get("nodes", undefined, "kind-worker") as Node;
    s.apply("pods", pod("victim", { nodeName: "kind-worker", tolerations: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 20 }] }));
    await s.waitFor("victim running", () => (s.store.get("pods", "cap", "victim") as Pod).status?.phase === "Running");
    s.kubelets.get("kind-worker")!.setRunning(false);
    await s.waitFor("NodeStatusUnknown", () => node().status?.conditions?.find((c) => c.type === "Ready")?.reason === "NodeStatusUnknown", 10_000);
    expect(node().status?.conditions?.every((c) => c.status === "Unknown" && c.message === "Kubelet stopped posting node status.")).toBe(true);
    // The control plane is still Ready, so this is no full disruption: NoExecute too.
    await s.waitFor("unreachable taints", () => node().spec.taints?.length === 2);
    expect(node().spec.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]);
    expect((s.store.get("pods", "cap", "victim") as Pod).status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("False");
    // Evicted after its 20 s toleration; with the kubelet gone it stays Terminating.
    await s.waitFor("evicted", () => (s.store.get("pods", "cap", "victim") as Pod).metadata.deletionTimestamp, 10_000);
    expect(s.eventsFor("Pod", "cap", "victim").map((e) => e.reason)).toContain("TaintManagerEviction");
    s.kubelets.get("kind-worker")!.setRunning(true);
    await s.waitFor("ready again", () => node().status?.conditions?.find((c) => c.type === "Ready")?.status === "True");
    await s.waitFor("untainted", () => !node().spec.taints?.length);
    await s.waitFor("victim gone", () => !s.store.get("pods", "cap", "victim"));
  });

  it("shows only the NoSchedule taint when the only node is down (full disruption), and taints cordoned nodes", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 50 });
    const s = sim;
    const node = () => s.store.get("nodes", undefined, "kind-control-plane") as Node;
    const n = node();
    n.spec.unschedulable = true;
    s.store.update("nodes", n, { force: true });
    await s.waitFor("cordon taint", () => node().spec.taints?.some((t) => t.key === "node.kubernetes.io/unschedulable"));
    s.apply("pods", pod("cordoned"));
    await s.waitFor("FailedScheduling", () => failed(s, "cordoned"));
    expect(failed(s, "cordoned")).toBe("0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
    s.kubelets.get("kind-control-plane")!.setRunning(false);
    await s.waitFor("unknown", () => node().status?.conditions?.find((c) => c.type === "Ready")?.status === "Unknown", 10_000);
    await s.waitFor("unreachable taint", () => node().spec.taints?.some((t) => t.key === "node.kubernetes.io/unreachable"));
    expect(node().spec.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(["node.kubernetes.io/unschedulable:NoSchedule", "node.kubernetes.io/unreachable:NoSchedule"]);
  });
});
