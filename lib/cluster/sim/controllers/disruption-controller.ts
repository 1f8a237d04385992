/**
 * disruption controller (pkg/controller/disruption): keeps each PodDisruptionBudget's status —
 * expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed, disruptedPods and the
 * DisruptionAllowed condition — from the pods its selector picks and their controllers' scale.
 * minAvailable as a number counts the pods it sees; a percentage or maxUnavailable counts the
 * replicas of the pods' controllers (Deployment, ReplicaSet, StatefulSet); pods without a
 * controller are left out (UnmanagedPods), and a controller without a scale subresource (Job,
 * DaemonSet) or a missing one fails the sync (DisruptionAllowed False/SyncFailed). Events as the
 * real one records them (source `controllermanager`): NoPods, UnmanagedPods,
 * CalculateExpectedPodCountFailed, NotDeleted.
 */
import type { SimComponent } from "../contracts";
import { withDisruptionAllowedCondition, setCondition, type PdbStatus } from "../api/pdb-status";
import { matchesLabels, selectorFromObject, type LabelSelectorObject } from "../store/selectors";
import type { KubeObject } from "../store/types";
import type { Pod } from "./api-types";
import { controllerOf, intOrPercent, isPodReady, isoTime } from "./object-helpers";
import type { ControllerOptions } from "./replicaset-controller";
import { createWorkQueue, nsKey, splitKey } from "./work-queue";

const PDB = "poddisruptionbudgets.policy";
/** How long an evicted pod may take to go before the budget counts it again (DeletionTimeout). */
const DELETION_TIMEOUT_MS = 2 * 60_000;
const COMPONENT = "controllermanager";
/** Controllers without a scale subresource: a percentage budget over their pods cannot be computed. */
const UNSCALABLE: Record<string, string> = { Job: "jobs.batch", DaemonSet: "daemonsets.apps", CronJob: "cronjobs.batch" };

/** How Go prints a *metav1.LabelSelector with %v. */
function goSelector(sel: unknown): string {
  const s = o(sel);
  const labels = Object.entries(o(s.matchLabels))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${String(v)},`)
    .join("");
  const exprs = (Array.isArray(s.matchExpressions) ? s.matchExpressions : [])
    .map(o)
    .map((e) => `LabelSelectorRequirement{Key:${String(e.key)},Operator:${String(e.operator)},Values:[${(Array.isArray(e.values) ? e.values : []).join(" ")}],},`)
    .join("");
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

type J = Record<string, unknown>;
const o = (v: unknown): J => (v && typeof v === "object" && !Array.isArray(v) ? (v as J) : {});

/** getPodsForPdb: in policy/v1 an empty selector selects every pod of the namespace, a missing one none. */
function podsFor(pdb: KubeObject, pods: Pod[]): Pod[] {
  const raw = o(pdb.spec).selector;
  if (raw === undefined || raw === null) return [];
  const sel = selectorFromObject(raw as LabelSelectorObject);
  return pods.filter((p) => matchesLabels(sel, p.metadata.labels));
}

export function startDisruptionController(opts: ControllerOptions): SimComponent {
  const { store, clock, events } = opts;

  /** getExpectedScale: the sum of the replicas of the pods' controllers; pods without one are reported, not counted. */
  function expectedScale(ns: string, pods: Pod[], unmanaged: string[]): number {
    const scales = new Map<string, number>();
    for (const p of pods) {
      const ref = controllerOf(p);
      if (!ref) {
        unmanaged.push(p.metadata.name);
        continue;
      }
      if (scales.has(ref.uid)) continue;
      const unscalable = UNSCALABLE[ref.kind];
      if (unscalable) throw new Error(`${unscalable} does not implement the scale subresource`);
      let owner: KubeObject | undefined;
      if (ref.kind === "ReplicaSet") {
        const rs = store.get("replicasets.apps", ns, ref.name);
        const dref = rs ? controllerOf(rs) : undefined;
        owner = dref?.kind === "Deployment" ? store.get("deployments.apps", ns, dref.name) : rs;
        if (dref?.kind === "Deployment" && owner) {
          scales.set(owner.metadata.uid ?? dref.uid, Number(o(owner.spec).replicas ?? 1));
          scales.set(ref.uid, 0);
          continue;
        }
      } else if (ref.kind === "StatefulSet") owner = store.get("statefulsets.apps", ns, ref.name);
      if (!owner || owner.metadata.uid !== ref.uid) throw new Error(`found no controllers for pod ${JSON.stringify(p.metadata.name)}`);
      scales.set(ref.uid, Number(o(owner.spec).replicas ?? 1));
    }
    let sum = 0;
    for (const v of scales.values()) sum += v;
    return sum;
  }

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const pdb = store.get(PDB, ns, name);
    if (!pdb || pdb.metadata.deletionTimestamp) return;
    const spec = o(pdb.spec);
    const status = o(pdb.status) as unknown as PdbStatus;
    const now = clock.now();
    const nowIso = isoTime(now);
    const pods = podsFor(pdb, store.list("pods", { namespace: ns }).items as Pod[]);
    if (!pods.length) events.record({ involvedObject: pdb, type: "Normal", reason: "NoPods", message: "No matching pods found", component: COMPONENT });

    let expected = 0;
    let desired = 0;
    const unmanaged: string[] = [];
    try {
      if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
        expected = expectedScale(ns, pods, unmanaged);
        desired = Math.max(0, expected - intOrPercent(spec.maxUnavailable as number | string, expected, true, "0"));
      } else if (typeof spec.minAvailable === "number") {
        desired = spec.minAvailable;
        expected = pods.length;
      } else if (typeof spec.minAvailable === "string") {
        expected = expectedScale(ns, pods, unmanaged);
        desired = intOrPercent(spec.minAvailable, expected, true, "0");
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      events.record({ involvedObject: pdb, type: "Warning", reason: "CalculateExpectedPodCountFailed", message: `Failed to calculate the number of expected pods: ${msg}`, component: COMPONENT });
      // failSafe: no disruptions while the budget cannot be computed.
      const conditions = setCondition(status.conditions ?? [], { type: "DisruptionAllowed", status: "False", reason: "SyncFailed", message: msg, observedGeneration: status.observedGeneration }, nowIso);
      write(pdb, { ...status, disruptionsAllowed: 0, conditions });
      return;
    }
    if (unmanaged.length) {
      events.record({
        involvedObject: pdb,
        type: "Warning",
        reason: "UnmanagedPods",
        message: `Pods selected by this PodDisruptionBudget (selector: ${goSelector(spec.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
        component: COMPONENT,
      });
    }

    // disruptedPods: evictions the API approved; kept until the pod is terminating, gone, or 2 minutes passed.
    const disrupted: Record<string, string> = {};
    let recheck: number | undefined;
    for (const p of pods) {
      if (p.metadata.deletionTimestamp) continue;
      const at = status.disruptedPods?.[p.metadata.name];
      if (!at) continue;
      const expires = Date.parse(at) + DELETION_TIMEOUT_MS;
      if (expires < now.getTime()) {
        events.record({ involvedObject: p, type: "Warning", reason: "NotDeleted", message: `Pod was expected by PDB ${ns}/${ns} to be deleted but it wasn't`, component: COMPONENT });
      } else {
        disrupted[p.metadata.name] = at;
        recheck = Math.min(recheck ?? Infinity, expires);
      }
    }
    const healthy = pods.filter((p) => !p.metadata.deletionTimestamp && !disrupted[p.metadata.name] && isPodReady(p)).length;
    let allowed = healthy - desired;
    if (expected <= 0 || allowed <= 0) allowed = 0;
    const next: PdbStatus = {
      ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
      disruptionsAllowed: allowed,
      currentHealthy: healthy,
      desiredHealthy: desired,
      expectedPods: expected,
      observedGeneration: pdb.metadata.generation,
      conditions: status.conditions,
    };
    write(pdb, withDisruptionAllowedCondition(next, nowIso));
    if (recheck !== undefined) queue.addAfter(key, recheck - now.getTime() + 1);
  }

  function write(pdb: KubeObject, status: PdbStatus): void {
    const clean = JSON.parse(JSON.stringify(status)) as PdbStatus;
    if (JSON.stringify(pdb.status) === JSON.stringify(clean)) return;
    store.update(PDB, { ...pdb, status: clean }, { subresource: "status", force: true });
  }

  const queue = createWorkQueue(clock, "disruption", reconcile);
  const enqueueNamespace = (ns: string | undefined) => {
    for (const p of store.list(PDB, { namespace: ns }).items) queue.add(nsKey(p.metadata.namespace, p.metadata.name));
  };
  const stops = [
    store.watch(PDB, {}, (e) => {
      if (e.type !== "DELETED") queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
    }),
    store.watch("pods", {}, (e) => enqueueNamespace(e.object.metadata.namespace)),
    store.watch("deployments.apps", {}, (e) => enqueueNamespace(e.object.metadata.namespace)),
    store.watch("replicasets.apps", {}, (e) => enqueueNamespace(e.object.metadata.namespace)),
    store.watch("statefulsets.apps", {}, (e) => enqueueNamespace(e.object.metadata.namespace)),
  ];
  for (const p of store.list(PDB).items) queue.add(nsKey(p.metadata.namespace, p.metadata.name));
  return {
    stop() {
      for (const s of stops) s();
      queue.stop();
    },
  };
}
