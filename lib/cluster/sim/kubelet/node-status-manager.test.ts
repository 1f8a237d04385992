import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Node } from "../controllers/api-types";
import { createNode, fakeKubeletContext } from "./fake-kubelet-context";
import { createNodeStatusManager, NETWORK_NOT_READY_MESSAGE, NODE_STATUS_REPORT_MS } from "./node-status-manager";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const readyOf = (n: Node | undefined) => n?.status?.conditions?.find((c) => c.type === "Ready");

describe("node status manager", () => {
  it("reports the three pressure conditions and Ready with the kubelet's texts", () => {
    const ctx = fakeKubeletContext();
    createNode(ctx);
    const status = createNodeStatusManager(ctx);
    status.update(true);
    const conds = status.node()?.status?.conditions ?? [];
    expect(conds.map((c) => `${c.type}=${c.status} ${c.reason}`)).toEqual([
      "MemoryPressure=False KubeletHasSufficientMemory",
      "DiskPressure=False KubeletHasNoDiskPressure",
      "PIDPressure=False KubeletHasSufficientPID",
      "Ready=True KubeletReady",
    ]);
    expect(readyOf(status.node())?.message).toBe("kubelet is posting ready status");
  });

  it("turns Ready False with the CNI message and records NodeNotReady when the network goes away", () => {
    const ctx = fakeKubeletContext();
    createNode(ctx);
    const status = createNodeStatusManager(ctx);
    status.update(true);
    const readySince = readyOf(status.node())?.lastTransitionTime;
    vi.advanceTimersByTime(3000);
    ctx.process.networkReady = false;
    status.update(false);
    expect(readyOf(status.node())).toMatchObject({ status: "False", reason: "KubeletNotReady", message: NETWORK_NOT_READY_MESSAGE });
    expect(readyOf(status.node())?.lastTransitionTime).not.toBe(readySince);
    expect(ctx.eventLines()).toEqual(["Normal NodeNotReady Node kind-worker status is now: NodeNotReady"]);
  });

  it("skips an unchanged status until the 5-minute report is due", () => {
    const ctx = fakeKubeletContext();
    createNode(ctx);
    const status = createNodeStatusManager(ctx);
    status.update(true);
    const first = readyOf(status.node())?.lastHeartbeatTime;
    vi.advanceTimersByTime(60_000);
    status.update(false);
    expect(readyOf(status.node())?.lastHeartbeatTime).toBe(first);
    vi.advanceTimersByTime(NODE_STATUS_REPORT_MS);
    status.update(false);
    expect(readyOf(status.node())?.lastHeartbeatTime).not.toBe(first);
    // The status did not flip: the transition time stays.
    expect(readyOf(status.node())?.lastTransitionTime).toBe(first);
  });

  it("writes nothing while the kubelet is stopped", () => {
    const ctx = fakeKubeletContext();
    createNode(ctx);
    ctx.process.running = false;
    const status = createNodeStatusManager(ctx);
    status.update(true);
    expect(status.node()?.status?.conditions).toBeUndefined();
  });

  it("logs a retry instead of re-creating a Node that vanished after registration", () => {
    const ctx = fakeKubeletContext();
    createNode(ctx);
    const status = createNodeStatusManager(ctx);
    status.update(true);
    ctx.store.purge("nodes", undefined, "kind-worker");
    const before = ctx.journal.lines().length;
    status.update(true);
    status.update(false);
    expect(ctx.store.get("nodes", undefined, "kind-worker")).toBeUndefined();
    const after = ctx.journal.lines().slice(before);
    expect(after).toHaveLength(1);
    expect(after[0]).toContain(`"Error updating node status, will retry" err="error getting node \\"kind-worker\\": nodes \\"kind-worker\\" not found"`);
  });

  it("registers again only when the kubelet starts again, with what the kubelet knows and without kubeadm's marks", () => {
    const ctx = fakeKubeletContext({ nodeName: "kind-control-plane" });
    ctx.store.create("nodes", {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: "kind-control-plane",
        labels: { "kubernetes.io/hostname": "kind-control-plane", "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "node-role.kubernetes.io/control-plane": "" },
        annotations: { "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock", "volumes.kubernetes.io/controller-managed-attach-detach": "true" },
      },
      spec: { podCIDR: "10.244.0.0/24", providerID: "kind://docker/kind/kind-control-plane", taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] },
      status: { addresses: [{ type: "InternalIP", address: "172.18.0.2" }], capacity: { cpu: "8" }, nodeInfo: { machineID: "m1", kubeletVersion: "v1.32.2" } },
    });
    const status = createNodeStatusManager(ctx);
    status.announceStart();
    expect(ctx.journal.lines().filter((l) => l.includes("regist"))).toEqual([
      expect.stringContaining(`"Attempting to register node" node="kind-control-plane"`),
      expect.stringContaining(`"Successfully registered node" node="kind-control-plane"`),
    ]);
    ctx.store.purge("nodes", undefined, "kind-control-plane");
    vi.advanceTimersByTime(NODE_STATUS_REPORT_MS);
    status.update(false);
    expect(status.node()).toBeUndefined();

    const before = ctx.journal.lines().length;
    status.announceStart();
    expect(ctx.journal.lines().slice(before).filter((l) => l.includes("regist"))).toEqual([
      expect.stringMatching(/^I\d{4} [\d:.]+ +\d+ kubelet_node_status.go:75\] "Attempting to register node" node="kind-control-plane"$/),
      expect.stringMatching(/kubelet_node_status.go:78\] "Successfully registered node" node="kind-control-plane"$/),
    ]);
    const n = status.node()!;
    expect(n.metadata.labels).toEqual({
      "beta.kubernetes.io/arch": "amd64",
      "beta.kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64",
      "kubernetes.io/hostname": "kind-control-plane",
      "kubernetes.io/os": "linux",
    });
    expect(n.metadata.annotations).toEqual({ "volumes.kubernetes.io/controller-managed-attach-detach": "true" });
    expect(n.spec).toEqual({ providerID: "kind://docker/kind/kind-control-plane" });
    expect(n.status?.addresses).toEqual([{ type: "InternalIP", address: "172.18.0.2" }]);
    expect(n.status?.nodeInfo).toMatchObject({ machineID: "m1" });
    expect(readyOf(n)).toMatchObject({ status: "True", reason: "KubeletReady" });
    // The pod CIDR the kubelet was given stays in use until the controller-manager assigns one.
    expect(status.podCidrBase()).toBe("10.244.0");
  });

  it("finds an existing Node previously registered when it starts again", () => {
    const ctx = fakeKubeletContext();
    createNode(ctx);
    const status = createNodeStatusManager(ctx);
    status.announceStart();
    const before = ctx.journal.lines().length;
    status.announceStart();
    expect(ctx.journal.lines().slice(before).filter((l) => l.includes("regist"))).toEqual([
      expect.stringContaining(`"Attempting to register node" node="kind-worker"`),
      expect.stringContaining(`"Node was previously registered" node="kind-worker"`),
      expect.stringContaining(`"Successfully registered node" node="kind-worker"`),
    ]);
  });

  it("announces a kubelet start with the node events a v1.32 kubelet records", () => {
    const ctx = fakeKubeletContext();
    createNode(ctx);
    createNodeStatusManager(ctx).announceStart();
    expect(ctx.eventLines()).toEqual([
      "Normal Starting Starting kubelet.",
      "Normal NodeHasSufficientMemory Node kind-worker status is now: NodeHasSufficientMemory",
      "Normal NodeHasNoDiskPressure Node kind-worker status is now: NodeHasNoDiskPressure",
      "Normal NodeHasSufficientPID Node kind-worker status is now: NodeHasSufficientPID",
      "Normal NodeAllocatableEnforced Updated Node Allocatable limit across pods",
    ]);
    expect(ctx.journal.lines()[0]).toContain(`"Kubelet version" kubeletVersion="v1.32.2"`);
  });

  it("reads the host IP and pod CIDR from the Node, with kind's defaults without one", () => {
    const ctx = fakeKubeletContext();
    const status = createNodeStatusManager(ctx);
    expect([status.hostIP(), status.podCidrBase()]).toEqual(["172.18.0.2", "10.244.0"]);
    createNode(ctx, { internalIP: "172.18.0.5", podCIDR: "10.244.3.0/24" });
    expect([status.hostIP(), status.podCidrBase()]).toEqual(["172.18.0.5", "10.244.3"]);
  });
});
