/**
 * The kubelet's node status (kubelet_node_status.go): the pressure and Ready conditions, written
 * when they change and at least every 5 minutes otherwise, the NodeReady/NodeNotReady events, the
 * events of a kubelet start, and the node's addresses and pod CIDR other parts read.
 */
import type { Node, NodeCondition } from "../controllers/api-types";
import { isoTime } from "../controllers/object-helpers";
import { kubeletConnected, type KubeletContext } from "./kubelet-context";

export const NETWORK_NOT_READY_MESSAGE =
  "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized";

/** nodeStatusReportFrequency: an unchanged status is still reported this often. */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;

export interface NodeStatusManager {
  node(): Node | undefined;
  /** The node's InternalIP (kind's first node address when the Node is missing). */
  hostIP(): string;
  /** The first three octets of the node's pod CIDR, e.g. "10.244.0". */
  podCidrBase(): string;
  recordEvent(type: "Normal" | "Warning", reason: string, message: string): void;
  /** Writes the conditions if they changed, the report is due, or `force`. */
  update(force: boolean): void;
  /** What a kubelet logs and reports as it starts, then a forced status write. */
  announceStart(): void;
}

function desiredConditions(networkReady: boolean): NodeCondition[] {
  return [
    { type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory", message: "kubelet has sufficient memory available" },
    { type: "DiskPressure", status: "False", reason: "KubeletHasNoDiskPressure", message: "kubelet has no disk pressure" },
    { type: "PIDPressure", status: "False", reason: "KubeletHasSufficientPID", message: "kubelet has sufficient PID available" },
    networkReady
      ? { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }
      : { type: "Ready", status: "False", reason: "KubeletNotReady", message: NETWORK_NOT_READY_MESSAGE },
  ];
}

export function createNodeStatusManager(ctx: KubeletContext): NodeStatusManager {
  const { store, clock, events, nodeName, journal } = ctx;
  let lastNodeReport = 0;

  function node(): Node | undefined {
    return store.get("nodes", undefined, nodeName) as Node | undefined;
  }

  function recordEvent(type: "Normal" | "Warning", reason: string, message: string): void {
    const n = node();
    if (!n) return;
    events.record({ involvedObject: n, type, reason, message, component: "kubelet", host: nodeName });
  }

  function update(force: boolean): void {
    if (!kubeletConnected(ctx)) return;
    const n = node();
    if (!n) {
      // Registration happens once at kubelet start; a Node that vanished later is not re-created.
      if (force || ctx.now() - lastNodeReport >= NODE_STATUS_REPORT_MS) {
        journal.write("E", "kubelet_node_status.go:549", `"Error updating node status, will retry" err="error getting node \\"${nodeName}\\": nodes \\"${nodeName}\\" not found"`);
        lastNodeReport = ctx.now();
      }
      return;
    }
    const ts = isoTime(clock.now());
    const prev = n.status?.conditions ?? [];
    const want = desiredConditions(ctx.process.networkReady);
    const changed = want.some((c) => {
      const p = prev.find((x) => x.type === c.type);
      return !p || p.status !== c.status || p.reason !== c.reason || p.message !== c.message;
    });
    if (!changed && !force && ctx.now() - lastNodeReport < NODE_STATUS_REPORT_MS) return;
    const readyPrev = prev.find((c) => c.type === "Ready");
    const readyNext = want.find((c) => c.type === "Ready")!;
    const conditions = want.map((c) => {
      const p = prev.find((x) => x.type === c.type);
      return { ...c, lastHeartbeatTime: ts, lastTransitionTime: p && p.status === c.status ? (p.lastTransitionTime ?? ts) : ts };
    });
    n.status = { ...(n.status ?? {}), conditions };
    try {
      store.update("nodes", n, { subresource: "status", force: true });
      lastNodeReport = ctx.now();
    } catch {
      return;
    }
    if (readyPrev?.status !== readyNext.status && readyPrev) {
      recordEvent("Normal", readyNext.status === "True" ? "NodeReady" : "NodeNotReady", `Node ${nodeName} status is now: ${readyNext.status === "True" ? "NodeReady" : "NodeNotReady"}`);
    }
  }

  return {
    node,
    hostIP: () => node()?.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? "172.18.0.2",
    podCidrBase() {
      const cidr = node()?.spec.podCIDR ?? "10.244.0.0/24";
      return cidr.split("/")[0]!.split(".").slice(0, 3).join(".");
    },
    recordEvent,
    update,
    announceStart() {
      journal.write("I", "server.go:484", `"Kubelet version" kubeletVersion="v1.32.2"`);
      recordEvent("Normal", "Starting", "Starting kubelet.");
      recordEvent("Normal", "NodeHasSufficientMemory", `Node ${nodeName} status is now: NodeHasSufficientMemory`);
      recordEvent("Normal", "NodeHasNoDiskPressure", `Node ${nodeName} status is now: NodeHasNoDiskPressure`);
      recordEvent("Normal", "NodeHasSufficientPID", `Node ${nodeName} status is now: NodeHasSufficientPID`);
      recordEvent("Normal", "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods");
      update(true);
    },
  };
}
