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

  it("logs a retry instead of re-creating a Node that vanished", () => {
    const ctx = fakeKubeletContext();
    const status = createNodeStatusManager(ctx);
    status.update(true);
    status.update(false);
    expect(ctx.store.get("nodes", undefined, "kind-worker")).toBeUndefined();
    expect(ctx.journal.lines()).toHaveLength(1);
    expect(ctx.journal.lines()[0]).toContain(`"Error updating node status, will retry" err="error getting node \\"kind-worker\\": nodes \\"kind-worker\\" not found"`);
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
