/**
 * The kubelet's node status (kubelet_node_status.go): registration once per kubelet start, the
 * pressure and Ready conditions, written when they change and at least every 5 minutes otherwise,
 * the NodeReady/NodeNotReady events, the events of a kubelet start, and the node's addresses and
 * pod CIDR other parts read.
 *
 * Registration is what syncNodeStatus does first while `registrationCompleted` is false: create
 * the Node (or find it "previously registered"), then only update its status. A Node that
 * disappears later (etcd serving another data dir) is not registered again until the kubelet
 * restarts; until then every status update fails with "Error updating node status, will retry".
 */
import type { Node, NodeCondition } from "../controllers/api-types";
import { isoTime } from "../controllers/object-helpers";
import { kubeletConnected, type KubeletContext } from "./kubelet-context";
import { initialNode } from "./node-registration";

export const NETWORK_NOT_READY_MESSAGE =
  "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized";

/** nodeStatusReportFrequency: an unchanged status is still reported this often. */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;

export interface NodeStatusManager {
  /** The Node in the API, as the kubelet's node informer (GetNode) has it; undefined when it is missing. */
  node(): Node | undefined;
  /** The node's InternalIP: the kubelet's --node-ip, also while the Node is missing. */
  hostIP(): string;
  /** The first three octets of the node's pod CIDR, e.g. "10.244.0" (the last one the kubelet was given). */
  podCidrBase(): string;
  recordEvent(type: "Normal" | "Warning", reason: string, message: string): void;
  /** Writes the conditions if they changed, the report is due, or `force`. */
  update(force: boolean): void;
  /** What a kubelet logs and reports as it starts: registration, the start events, then a forced status write. */
  announceStart(): void;
}

const DEFAULT_LABELS = ["kubernetes.io/hostname", "kubernetes.io/os", "kubernetes.io/arch", "beta.kubernetes.io/os", "beta.kubernetes.io/arch"];
const CMAD_ANNOTATION = "volumes.kubernetes.io/controller-managed-attach-detach";

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
  /** registrationCompleted: set by the first successful registration of this kubelet process. */
  let registered = false;
  /** The Node as the kubelet last saw it: its own flags and machine, which outlive the object. */
  let known: Node | undefined;
  /** Kubelet starts so far: the first one's Node is the one kind's `kubeadm init` had it register (the seed). */
  let starts = 0;
  /** The pod CIDR the kubelet was last given (updatePodCIDR keeps it in the runtime). */
  let podCIDR: string | undefined;

  function node(): Node | undefined {
    const n = store.get("nodes", undefined, nodeName) as Node | undefined;
    if (n) known = n;
    if (n?.spec.podCIDR) podCIDR = n.spec.podCIDR;
    return n;
  }

  /** tryRegisterWithAPIServer: create the Node, or reconcile the default labels and attach/detach annotation of an existing one. */
  function register(): void {
    if (!kubeletConnected(ctx) || registered) return;
    journal.write("I", "kubelet_node_status.go:75", `"Attempting to register node" node="${nodeName}"`);
    const existing = node();
    try {
      if (!existing) {
        const stamp = isoTime(clock.now());
        const conditions = desiredConditions(ctx.process.networkReady).map((c) => ({ ...c, lastHeartbeatTime: stamp, lastTransitionTime: stamp }));
        known = store.create("nodes", initialNode(nodeName, known, conditions)) as Node;
        lastNodeReport = ctx.now();
      } else {
        if (starts > 1) journal.write("I", "kubelet_node_status.go:124", `"Node was previously registered" node="${nodeName}"`);
        const want = initialNode(nodeName, existing, []);
        const labels = { ...(existing.metadata.labels ?? {}) };
        const annotations = { ...(existing.metadata.annotations ?? {}) };
        let changed = false;
        for (const k of DEFAULT_LABELS) {
          const v = want.metadata.labels?.[k];
          if (v !== undefined && labels[k] !== v) [labels[k], changed] = [v, true];
        }
        if (annotations[CMAD_ANNOTATION] !== "true") [annotations[CMAD_ANNOTATION], changed] = ["true", true];
        if (changed) store.update("nodes", { ...existing, metadata: { ...existing.metadata, labels, annotations } }, { force: true });
      }
    } catch (err) {
      journal.write("E", "kubelet_node_status.go:107", `"Unable to register node with API server" err="${String(err instanceof Error ? err.message : err).replace(/"/g, '\\"')}" node="${nodeName}"`);
      return;
    }
    journal.write("I", "kubelet_node_status.go:78", `"Successfully registered node" node="${nodeName}"`);
    registered = true;
  }

  function recordEvent(type: "Normal" | "Warning", reason: string, message: string): void {
    const n = node();
    if (!n) return;
    events.record({ involvedObject: n, type, reason, message, component: "kubelet", host: nodeName });
  }

  function update(force: boolean): void {
    if (!kubeletConnected(ctx)) return;
    register();
    const n = node();
    if (!n) {
      // Registered once per kubelet start: a Node that vanished later is not re-created.
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
    hostIP: () => (node() ?? known)?.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? "172.18.0.2",
    podCidrBase() {
      // The kubelet keeps the pod CIDR it was given (updatePodCIDR) while the Node has none.
      node();
      const cidr = podCIDR ?? "10.244.0.0/24";
      return cidr.split("/")[0]!.split(".").slice(0, 3).join(".");
    },
    recordEvent,
    update,
    announceStart() {
      journal.write("I", "server.go:484", `"Kubelet version" kubeletVersion="v1.32.2"`);
      registered = false;
      starts++;
      register();
      recordEvent("Normal", "Starting", "Starting kubelet.");
      recordEvent("Normal", "NodeHasSufficientMemory", `Node ${nodeName} status is now: NodeHasSufficientMemory`);
      recordEvent("Normal", "NodeHasNoDiskPressure", `Node ${nodeName} status is now: NodeHasNoDiskPressure`);
      recordEvent("Normal", "NodeHasSufficientPID", `Node ${nodeName} status is now: NodeHasSufficientPID`);
      recordEvent("Normal", "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods");
      update(true);
    },
  };
}
