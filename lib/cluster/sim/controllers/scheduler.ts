/**
 * default-scheduler: binds pending pods to nodes after the filters a v1.32 scheduler runs, in its
 * order (NodeUnschedulable, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit,
 * VolumeBinding), and reports a pod that fits nowhere with the real FitError text:
 * `0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.`
 * Unschedulable pods are retried when nodes, pods or claims change, and every 5 minutes.
 */
import type { SimClock } from "../clock";
import type { EventRecorder, SimComponent } from "../contracts";
import type { ObjectStore } from "../store/object-store";
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from "./api-types";
import { bytesOf, cpuMillis, controllerOf, isPodActive, nowIso, toleratesAll } from "./object-helpers";

export interface SchedulerOptions {
  store: ObjectStore;
  clock: SimClock;
  events: EventRecorder;
}

type Verdict = { ok: true } | { ok: false; reasons: string[]; resolvable: boolean };

function matchRequirement(r: NodeSelectorRequirement, value: string | undefined): boolean {
  switch (r.operator) {
    case "In":
      return value !== undefined && (r.values ?? []).includes(value);
    case "NotIn":
      return value === undefined || !(r.values ?? []).includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
      return value !== undefined && Number(value) > Number(r.values?.[0]);
    case "Lt":
      return value !== undefined && Number(value) < Number(r.values?.[0]);
  }
}

/** A node matches a term when all its expressions and fields match; terms are ORed. */
export function nodeMatchesTerms(node: Node, terms: NodeSelectorTerm[]): boolean {
  return terms.some((t) => {
    const exprs = t.matchExpressions ?? [];
    const fields = t.matchFields ?? [];
    if (!exprs.length && !fields.length) return false;
    return (
      exprs.every((r) => matchRequirement(r, node.metadata.labels?.[r.key])) &&
      fields.every((r) => matchRequirement(r, r.key === "metadata.name" ? node.metadata.name : undefined))
    );
  });
}

export function podMatchesNode(pod: Pod, node: Node): boolean {
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) if (node.metadata.labels?.[k] !== v) return false;
  const req = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req && !nodeMatchesTerms(node, req.nodeSelectorTerms)) return false;
  return true;
}

function podRequests(p: Pod): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of p.spec.containers) {
    cpu += cpuMillis(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu);
    memory += bytesOf(c.resources?.requests?.memory ?? c.resources?.limits?.memory);
  }
  for (const c of p.spec.initContainers ?? []) {
    cpu = Math.max(cpu, cpuMillis(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu));
    memory = Math.max(memory, bytesOf(c.resources?.requests?.memory ?? c.resources?.limits?.memory));
  }
  return { cpu, memory };
}

/** The FitError text, from each node's reasons (sorted "count reason" strings, as Go does). */
export function fitErrorMessage(total: number, verdicts: Verdict[], preFilterMsg?: string): string {
  let msg = `0/${total} nodes are available:`;
  if (preFilterMsg) msg += ` ${preFilterMsg}.`;
  else {
    const counts = new Map<string, number>();
    for (const v of verdicts) if (!v.ok) for (const r of v.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort();
    if (parts.length) msg += ` ${parts.join(", ")}.`;
  }
  const pre = new Map<string, number>();
  if (preFilterMsg) pre.set("Preemption is not helpful for scheduling", total);
  else
    for (const v of verdicts) {
      if (v.ok) continue;
      const k = v.resolvable ? "No preemption victims found for incoming pod" : "Preemption is not helpful for scheduling";
      pre.set(k, (pre.get(k) ?? 0) + 1);
    }
  const preParts = [...pre].map(([r, n]) => `${n} ${r}`).sort();
  if (total > 0) msg += ` preemption: 0/${total} nodes are available: ${preParts.join(", ")}.`;
  return msg;
}

export function startScheduler(opts: SchedulerOptions): SimComponent {
  const { store, clock, events } = opts;
  const queue = new Set<string>();
  let flushScheduled = false;
  const unschedulable = new Set<string>();

  const keyOf = (p: Pod) => `${p.metadata.namespace}/${p.metadata.name}`;

  function wants(p: Pod): boolean {
    return !p.spec.nodeName && !p.metadata.deletionTimestamp && (p.spec.schedulerName ?? "default-scheduler") === "default-scheduler" && isPodActive(p);
  }

  function enqueue(key: string): void {
    queue.add(key);
    if (flushScheduled) return;
    flushScheduled = true;
    clock.after(0, flush);
  }

  function retryUnschedulable(): void {
    for (const k of unschedulable) enqueue(k);
  }

  function flush(): void {
    flushScheduled = false;
    const keys = [...queue];
    queue.clear();
    for (const k of keys) {
      const [ns, name] = k.split("/") as [string, string];
      const p = store.get("pods", ns, name) as Pod | undefined;
      if (!p || !wants(p)) {
        unschedulable.delete(k);
        continue;
      }
      schedulePod(p);
    }
  }

  function checkVolumes(p: Pod, node: Node | undefined): { preFilter?: string; reason?: string } {
    for (const v of p.spec.volumes ?? []) {
      if (!v.persistentVolumeClaim) continue;
      const pvc = store.get("persistentvolumeclaims", p.metadata.namespace, v.persistentVolumeClaim.claimName) as PersistentVolumeClaim | undefined;
      if (!pvc) return { preFilter: `persistentvolumeclaim "${v.persistentVolumeClaim.claimName}" not found` };
      if (pvc.metadata.deletionTimestamp) return { preFilter: `persistentvolumeclaim "${pvc.metadata.name}" is being deleted` };
      if (pvc.status?.phase !== "Bound") {
        const scName = pvc.spec.storageClassName;
        const sc = scName ? (store.get("storageclasses.storage.k8s.io", undefined, scName) as StorageClass | undefined) : undefined;
        if (sc?.volumeBindingMode !== "WaitForFirstConsumer") return { preFilter: "pod has unbound immediate PersistentVolumeClaims" };
        continue;
      }
      if (node && pvc.spec.volumeName) {
        const pv = store.get("persistentvolumes", undefined, pvc.spec.volumeName) as PersistentVolume | undefined;
        const terms = pv?.spec.nodeAffinity?.required?.nodeSelectorTerms;
        if (terms && !nodeMatchesTerms(node, terms)) return { reason: "node(s) had volume node affinity conflict" };
      }
    }
    return {};
  }

  function filter(p: Pod, node: Node, podsOnNode: Pod[]): Verdict {
    const tolerations = p.spec.tolerations;
    if (node.spec.unschedulable && !toleratesAll(tolerations, { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" })) {
      return { ok: false, reasons: ["node(s) were unschedulable"], resolvable: false };
    }
    for (const t of node.spec.taints ?? []) {
      if (t.effect !== "NoSchedule" && t.effect !== "NoExecute") continue;
      if (!toleratesAll(tolerations, t)) return { ok: false, reasons: [`node(s) had untolerated taint {${t.key}: ${t.value ?? ""}}`], resolvable: false };
    }
    if (!podMatchesNode(p, node)) return { ok: false, reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false };
    const wantPorts = p.spec.containers.flatMap((c) => (c.ports ?? []).filter((x) => x.hostPort).map((x) => `${x.protocol ?? "TCP"}/${x.hostPort}`));
    if (wantPorts.length) {
      const used = new Set(podsOnNode.flatMap((o) => o.spec.containers.flatMap((c) => (c.ports ?? []).filter((x) => x.hostPort).map((x) => `${x.protocol ?? "TCP"}/${x.hostPort}`))));
      if (wantPorts.some((x) => used.has(x))) return { ok: false, reasons: ["node(s) didn't have free ports for the requested pod ports"], resolvable: true };
    }
    const alloc = node.status?.allocatable ?? {};
    const req = podRequests(p);
    let usedCpu = 0;
    let usedMem = 0;
    for (const o of podsOnNode) {
      const r = podRequests(o);
      usedCpu += r.cpu;
      usedMem += r.memory;
    }
    const reasons: string[] = [];
    if (podsOnNode.length + 1 > Number(alloc.pods ?? 110)) reasons.push("Too many pods");
    if (req.cpu > 0 && usedCpu + req.cpu > cpuMillis(alloc.cpu ?? "0")) reasons.push("Insufficient cpu");
    if (req.memory > 0 && usedMem + req.memory > bytesOf(alloc.memory ?? "0")) reasons.push("Insufficient memory");
    if (reasons.length) return { ok: false, reasons, resolvable: true };
    const vol = checkVolumes(p, node);
    if (vol.reason) return { ok: false, reasons: [vol.reason], resolvable: false };
    return { ok: true };
  }

  function score(p: Pod, node: Node, podsOnNode: Pod[]): number {
    const owner = controllerOf(p)?.uid;
    const siblings = owner ? podsOnNode.filter((o) => controllerOf(o)?.uid === owner).length : 0;
    const alloc = cpuMillis(node.status?.allocatable?.cpu ?? "1") || 1;
    const used = podsOnNode.reduce((s, o) => s + podRequests(o).cpu, 0);
    return siblings * 1000 + (used / alloc) * 100 + podsOnNode.length;
  }

  function schedulePod(p: Pod): void {
    const nodes = store.list("nodes").items as Node[];
    const allPods = (store.list("pods").items as Pod[]).filter((o) => o.spec.nodeName && isPodActive(o));
    const byNode = new Map<string, Pod[]>();
    for (const o of allPods) {
      const l = byNode.get(o.spec.nodeName!) ?? [];
      l.push(o);
      byNode.set(o.spec.nodeName!, l);
    }
    const pre = checkVolumes(p, undefined).preFilter;
    const verdicts: Verdict[] = [];
    let best: { node: Node; score: number } | undefined;
    if (!pre) {
      for (const n of nodes) {
        const on = byNode.get(n.metadata.name) ?? [];
        const v = filter(p, n, on);
        verdicts.push(v);
        if (v.ok) {
          const s = score(p, n, on);
          if (!best || s < best.score) best = { node: n, score: s };
        }
      }
    }
    const key = keyOf(p);
    if (!best) {
      unschedulable.add(key);
      const msg = fitErrorMessage(nodes.length, verdicts, pre);
      events.record({ involvedObject: p, type: "Warning", reason: "FailedScheduling", message: msg, component: "default-scheduler" });
      const cond = p.status?.conditions?.find((c) => c.type === "PodScheduled");
      if (!cond || cond.status !== "False" || cond.message !== msg) {
        const status = p.status ?? {};
        status.phase ??= "Pending";
        status.conditions = [
          ...(status.conditions ?? []).filter((c) => c.type !== "PodScheduled"),
          { type: "PodScheduled", status: "False", reason: "Unschedulable", message: msg, lastProbeTime: null, lastTransitionTime: nowIso(clock) },
        ];
        p.status = status;
        try {
          store.update("pods", p, { subresource: "status", force: true });
        } catch {
          // gone
        }
      }
      return;
    }
    unschedulable.delete(key);
    bind(p, best.node);
  }

  function bind(p: Pod, node: Node): void {
    const cur = store.get("pods", p.metadata.namespace, p.metadata.name) as Pod | undefined;
    if (!cur || cur.metadata.uid !== p.metadata.uid || cur.spec.nodeName) return;
    // WaitForFirstConsumer claims learn their node now (the real binder then provisions).
    for (const v of cur.spec.volumes ?? []) {
      if (!v.persistentVolumeClaim) continue;
      const pvc = store.get("persistentvolumeclaims", cur.metadata.namespace, v.persistentVolumeClaim.claimName) as PersistentVolumeClaim | undefined;
      if (pvc && pvc.status?.phase !== "Bound" && !pvc.metadata.annotations?.["volume.kubernetes.io/selected-node"]) {
        pvc.metadata.annotations = { ...(pvc.metadata.annotations ?? {}), "volume.kubernetes.io/selected-node": node.metadata.name };
        try {
          store.update("persistentvolumeclaims", pvc, { force: true });
        } catch {
          // raced with a delete
        }
      }
    }
    cur.spec.nodeName = node.metadata.name;
    try {
      store.update("pods", cur, { force: true });
      const after = store.get("pods", cur.metadata.namespace, cur.metadata.name) as Pod | undefined;
      if (after) {
        const status = after.status ?? {};
        status.phase ??= "Pending";
        status.conditions = [
          ...(status.conditions ?? []).filter((c) => c.type !== "PodScheduled"),
          { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: nowIso(clock) },
        ];
        after.status = status;
        store.update("pods", after, { subresource: "status", force: true });
      }
    } catch {
      return;
    }
    events.record({
      involvedObject: cur,
      type: "Normal",
      reason: "Scheduled",
      message: `Successfully assigned ${cur.metadata.namespace}/${cur.metadata.name} to ${node.metadata.name}`,
      component: "default-scheduler",
    });
  }

  const stops: (() => void)[] = [];
  stops.push(
    store.watch("pods", {}, (e) => {
      const p = e.object as Pod;
      if (e.type === "DELETED") {
        unschedulable.delete(keyOf(p));
        if (p.spec?.nodeName) retryUnschedulable();
        return;
      }
      if (wants(p)) {
        if (e.type === "ADDED" || !unschedulable.has(keyOf(p))) enqueue(keyOf(p));
      } else if (p.status?.phase === "Succeeded" || p.status?.phase === "Failed") retryUnschedulable();
    }),
  );
  const nodeShapes = new Map<string, string>();
  stops.push(
    store.watch("nodes", {}, (e) => {
      const n = e.object as Node;
      // Heartbeats do not change schedulability; taints, labels, allocatable and unschedulable do.
      const shape = JSON.stringify([e.type, n.metadata.labels, n.spec, n.status?.allocatable]);
      if (shape !== nodeShapes.get(n.metadata.name)) {
        nodeShapes.set(n.metadata.name, shape);
        retryUnschedulable();
      }
    }),
  );
  stops.push(store.watch("persistentvolumeclaims", {}, () => retryUnschedulable()));
  stops.push(clock.every(5 * 60_000, retryUnschedulable));
  for (const p of store.list("pods").items as Pod[]) if (wants(p)) enqueue(keyOf(p));
  return {
    stop() {
      for (const s of stops) s();
    },
  };
}
