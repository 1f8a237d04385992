/**
 * node-lifecycle-controller (the node part of kube-controller-manager): taints nodes by their
 * conditions (node.kubernetes.io/not-ready while Ready=False, node.kubernetes.io/unschedulable
 * while cordoned) and, when a kubelet stops renewing its Lease for the node-monitor grace period
 * (50 s in v1.32), sets every condition Unknown with "Kubelet stopped posting node status.",
 * taints node.kubernetes.io/unreachable, marks the node's pods not Ready, and records NodeNotReady.
 * NoExecute taints, and so evictions after the pods' tolerationSeconds (300 s by default, from the
 * DefaultTolerationSeconds admission), apply only while some node is still Ready: when every node
 * is down the real controller enters full-disruption mode and stops evicting, which is why a
 * single-node cluster shows only the NoSchedule taint.
 */
import type { SimComponent } from "../contracts";
import type { Node, NodeCondition, Pod, Taint } from "./api-types";
import { isoTime, toleratesAll } from "./object-helpers";
import type { ControllerOptions } from "./replicaset-controller";

export const NODE_MONITOR_GRACE_MS = 50_000;
const CHECK_MS = 5_000;

export function startNodeLifecycleController(opts: ControllerOptions): SimComponent {
  const { store, clock, events } = opts;

  function lastRenew(node: string): number {
    const l = store.get("leases.coordination.k8s.io", "kube-node-lease", node);
    const t = (l?.spec as { renewTime?: string } | undefined)?.renewTime;
    return t ? Date.parse(t) : 0;
  }

  const MANAGED = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "node.kubernetes.io/unschedulable"];

  /** Full disruption: no node is Ready, so the controller neither adds NoExecute taints nor evicts. */
  function fullDisruption(): boolean {
    return !(store.list("nodes").items as Node[]).some((n) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
  }

  function wantedTaints(n: Node): Taint[] {
    const ready = n.status?.conditions?.find((c) => c.type === "Ready");
    const others = (n.spec.taints ?? []).filter((t) => !MANAGED.includes(t.key));
    const keep = (key: string, effect: Taint["effect"]): Taint =>
      (n.spec.taints ?? []).find((t) => t.key === key && t.effect === effect) ?? { key, effect, ...(effect === "NoExecute" ? { timeAdded: isoTime(clock.now()) } : {}) };
    const out = [...others];
    if (n.spec.unschedulable) out.push(keep("node.kubernetes.io/unschedulable", "NoSchedule"));
    const noExecute = !fullDisruption();
    if (ready?.status === "False") {
      out.push(keep("node.kubernetes.io/not-ready", "NoSchedule"));
      if (noExecute) out.push(keep("node.kubernetes.io/not-ready", "NoExecute"));
    }
    if (ready?.status === "Unknown") {
      out.push(keep("node.kubernetes.io/unreachable", "NoSchedule"));
      if (noExecute) out.push(keep("node.kubernetes.io/unreachable", "NoExecute"));
    }
    return out;
  }

  function syncTaints(n: Node): void {
    const want = wantedTaints(n);
    if (JSON.stringify(want) === JSON.stringify(n.spec.taints ?? [])) return;
    const cur = store.get("nodes", undefined, n.metadata.name) as Node | undefined;
    if (!cur) return;
    cur.spec.taints = want.length ? want : undefined;
    if (!want.length) delete cur.spec.taints;
    store.update("nodes", cur, { force: true });
  }

  function markUnknown(n: Node): void {
    const ts = isoTime(clock.now());
    const conds: NodeCondition[] = (n.status?.conditions ?? []).map((c) =>
      c.status === "Unknown"
        ? c
        : { ...c, status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastTransitionTime: ts },
    );
    n.status = { ...(n.status ?? {}), conditions: conds };
    store.update("nodes", n, { subresource: "status", force: true });
    events.record({ involvedObject: n, type: "Normal", reason: "NodeNotReady", message: `Node ${n.metadata.name} status is now: NodeNotReady`, component: "node-controller" });
    for (const p of store.list("pods").items as Pod[]) {
      if (p.spec.nodeName !== n.metadata.name) continue;
      const status = p.status ?? {};
      const ready = status.conditions?.find((c) => c.type === "Ready");
      if (!ready || ready.status === "False") continue;
      status.conditions = (status.conditions ?? []).map((c) => (c.type === "Ready" || c.type === "ContainersReady" ? { ...c, status: "False", lastTransitionTime: ts } : c));
      p.status = status;
      try {
        store.update("pods", p, { subresource: "status", force: true });
      } catch {
        // gone
      }
      events.record({ involvedObject: p, type: "Warning", reason: "NodeNotReady", message: "Node is not ready", component: "node-controller" });
    }
  }

  function evict(n: Node): void {
    const taint = n.spec.taints?.find((t) => t.effect === "NoExecute" && (t.key === "node.kubernetes.io/unreachable" || t.key === "node.kubernetes.io/not-ready"));
    if (!taint) return;
    const since = Date.parse(taint.timeAdded ?? "") || clock.now().getTime();
    for (const p of store.list("pods").items as Pod[]) {
      if (p.spec.nodeName !== n.metadata.name || p.metadata.deletionTimestamp) continue;
      if (p.metadata.annotations?.["kubernetes.io/config.mirror"]) continue;
      const tol = (p.spec.tolerations ?? []).find((t) => toleratesAll([t], taint));
      const secs = tol ? tol.tolerationSeconds : 0;
      if (secs === undefined) continue; // tolerates forever (DaemonSet pods)
      if (clock.now().getTime() - since >= secs * 1000) {
        try {
          store.delete("pods", p.metadata.namespace, p.metadata.name);
          events.record({ involvedObject: p, type: "Normal", reason: "TaintManagerEviction", message: `Marking for deletion Pod ${p.metadata.namespace}/${p.metadata.name}`, component: "taint-eviction-controller" });
        } catch {
          // gone
        }
      }
    }
  }

  function check(): void {
    const now = clock.now().getTime();
    for (const n of store.list("nodes").items as Node[]) {
      const renew = lastRenew(n.metadata.name);
      const ready = n.status?.conditions?.find((c) => c.type === "Ready");
      if (renew && now - renew > NODE_MONITOR_GRACE_MS && ready && ready.status !== "Unknown") markUnknown(n);
      const fresh = store.get("nodes", undefined, n.metadata.name) as Node | undefined;
      if (fresh) {
        syncTaints(fresh);
        evict(fresh);
      }
    }
  }

  // Every kube-controller-manager start registers the nodes it finds (and each new one).
  const registered = new Set<string>();
  const register = (n: Node) => {
    if (registered.has(n.metadata.name)) return;
    registered.add(n.metadata.name);
    events.record({ involvedObject: n, type: "Normal", reason: "RegisteredNode", message: `Node ${n.metadata.name} event: Registered Node ${n.metadata.name} in Controller`, component: "node-controller" });
  };
  const stops = [
    store.watch("nodes", {}, (e) => {
      if (e.type === "DELETED") return;
      const n = e.object as Node;
      if (e.type === "ADDED") clock.after(0, () => register(n));
      if (JSON.stringify(wantedTaints(n)) !== JSON.stringify(n.spec.taints ?? [])) clock.after(0, () => {
        const fresh = store.get("nodes", undefined, n.metadata.name) as Node | undefined;
        if (fresh) syncTaints(fresh);
      });
    }),
    clock.every(CHECK_MS, check),
  ];
  clock.after(0, () => {
    for (const n of store.list("nodes").items as Node[]) register(n);
    check();
  });
  return {
    stop() {
      for (const s of stops) s();
    },
  };
}
