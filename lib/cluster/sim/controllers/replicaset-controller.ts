/**
 * replicaset-controller: keeps `spec.replicas` active pods per ReplicaSet, adopting matching
 * orphans, deleting the least valuable pods first (unscheduled, pending, not ready, newest), and
 * reports replicas / readyReplicas / availableReplicas. Events: `Created pod: web-6bccddcdc8-hbtt4`,
 * `Deleted pod: …` (SuccessfulCreate / SuccessfulDelete).
 */
import type { SimClock } from "../clock";
import type { EventRecorder, SimComponent } from "../contracts";
import { admitCreate } from "../api/admission/admission-chain";
import type { ObjectStore } from "../store/object-store";
import { matchesLabels, selectorFromObject } from "../store/selectors";
import type { Pod, ReplicaSet } from "./api-types";
import { controllerOf, isoTime, isPodActive, isPodAvailable, isPodReady, ownerRefTo } from "./object-helpers";
import { createWorkQueue, nsKey, splitKey } from "./work-queue";

export interface ControllerOptions {
  store: ObjectStore;
  clock: SimClock;
  events: EventRecorder;
}

const RS = "replicasets.apps";

/** Lower rank = deleted first (controller.ActivePods ordering, simplified). */
function deletionRank(p: Pod): number[] {
  const phaseRank = p.status?.phase === "Pending" ? 1 : p.status?.phase === "Running" ? 2 : 0;
  const created = Date.parse(p.metadata.creationTimestamp ?? "") || 0;
  return [p.spec.nodeName ? 1 : 0, phaseRank, isPodReady(p) ? 1 : 0, -created];
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Creates a pod from a template, owned by `owner`, as the controllers' PodControl does. */
export function createPodFromTemplate(
  store: ObjectStore,
  events: EventRecorder,
  owner: { apiVersion: string; kind: string; metadata: { name: string; namespace: string; uid: string } },
  template: ReplicaSet["spec"]["template"],
  component: string,
  extra: { labels?: Record<string, string>; generateName?: string; mutate?: (p: Pod) => void; now?: Date; errors?: string[] } = {},
): Pod | undefined {
  const pod: Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName: extra.generateName ?? `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), ...(extra.labels ?? {}) },
      annotations: template.metadata?.annotations ? { ...template.metadata.annotations } : undefined,
      ownerReferences: [ownerRefTo(owner as never)],
    } as Pod["metadata"],
    spec: structuredClone(template.spec),
  };
  if (!pod.metadata.annotations) delete pod.metadata.annotations;
  extra.mutate?.(pod);
  try {
    // Through the apiserver's admission, as the real controllers' pod creation is.
    admitCreate(store, "pods", pod, extra.now ?? new Date());
    const created = store.create("pods", pod) as Pod;
    events.record({ involvedObject: owner as never, type: "Normal", reason: "SuccessfulCreate", message: `Created pod: ${created.metadata.name}`, component });
    return created;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    events.record({ involvedObject: owner as never, type: "Warning", reason: "FailedCreate", message: `Error creating: ${msg}`, component });
    extra.errors?.push(msg);
    return undefined;
  }
}

export function deletePodByController(store: ObjectStore, events: EventRecorder, owner: { metadata: { name: string; namespace: string } } & Record<string, unknown>, p: Pod, component: string): void {
  try {
    store.delete("pods", p.metadata.namespace, p.metadata.name);
    events.record({ involvedObject: owner as never, type: "Normal", reason: "SuccessfulDelete", message: `Deleted pod: ${p.metadata.name}`, component });
  } catch {
    // already gone
  }
}

// client-go's default controller rate limiter: 5 ms doubling per failure, at most 1000 s.
const FIRST_RETRY_MS = 5;
const MAX_RETRY_MS = 1000 * 1000;

type RsCondition = { type: string; status: string; lastTransitionTime?: string; reason?: string; message?: string };

/**
 * calculateStatus's ReplicaFailure rule: set (reason FailedCreate, the create error as message)
 * when a sync's pod creation failed and the condition is absent; kept while failures go on;
 * removed after a sync without error.
 */
export function replicaFailureConditions(prev: unknown[] | undefined, error: string | undefined, now: string): RsCondition[] {
  const conds = (prev ?? []) as RsCondition[];
  const has = conds.some((c) => c.type === "ReplicaFailure");
  if (error && !has) return [...conds, { type: "ReplicaFailure", status: "True", lastTransitionTime: now, reason: "FailedCreate", message: error }];
  if (!error && has) return conds.filter((c) => c.type !== "ReplicaFailure");
  return conds;
}

export function startReplicaSetController(opts: ControllerOptions): SimComponent {
  const { store, clock, events } = opts;

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const rs = store.get(RS, ns, name) as ReplicaSet | undefined;
    if (!rs || rs.metadata.deletionTimestamp) return;
    const sel = selectorFromObject(rs.spec.selector);
    if (!sel.length) return;
    const all = store.list("pods", { namespace: ns }).items as Pod[];
    const owned: Pod[] = [];
    for (const p of all) {
      const ref = controllerOf(p);
      if (ref?.uid === rs.metadata.uid) owned.push(p);
      else if (!ref && !p.metadata.deletionTimestamp && matchesLabels(sel, p.metadata.labels)) {
        p.metadata.ownerReferences = [...(p.metadata.ownerReferences ?? []), ownerRefTo(rs)];
        try {
          owned.push(store.update("pods", p, { force: true }) as Pod);
        } catch {
          // raced
        }
      }
    }
    const active = owned.filter(isPodActive);
    const want = rs.spec.replicas ?? 1;
    const diff = active.length - want;
    const errors: string[] = [];
    if (diff < 0) {
      // slowStartBatch: batches of 1, 2, 4, …; a batch with a failure ends the sync.
      let remaining = Math.min(-diff, 500);
      for (let batch = Math.min(remaining, 1); batch > 0 && !errors.length; batch = Math.min(2 * batch, remaining)) {
        const labels = rs.spec.template.metadata?.labels ?? {};
        for (let i = 0; i < batch; i++) createPodFromTemplate(store, events, rs, rs.spec.template, "replicaset-controller", { labels, now: clock.now(), errors });
        remaining -= batch;
      }
    } else if (diff > 0) {
      const victims = [...active].sort((a, b) => compareRanks(deletionRank(a), deletionRank(b))).slice(0, diff);
      for (const p of victims) deletePodByController(store, events, rs, p, "replicaset-controller");
    }
    // Failed/succeeded pods of an RS are replaced above; remove them so they do not pile up.
    const now = clock.now();
    const fresh = (store.list("pods", { namespace: ns }).items as Pod[]).filter((p) => controllerOf(p)?.uid === rs.metadata.uid && isPodActive(p));
    const status = {
      replicas: fresh.length,
      fullyLabeledReplicas: fresh.filter((p) => matchesLabels(sel, p.metadata.labels)).length,
      readyReplicas: fresh.filter(isPodReady).length,
      availableReplicas: fresh.filter((p) => isPodAvailable(p, rs.spec.minReadySeconds ?? 0, now)).length,
      observedGeneration: rs.metadata.generation,
    };
    const cur = store.get(RS, ns, name) as ReplicaSet | undefined;
    if (!cur) return;
    const next: NonNullable<ReplicaSet["status"]> = { ...status };
    for (const k of ["readyReplicas", "availableReplicas", "fullyLabeledReplicas"] as const) if (!next[k]) delete next[k];
    const conditions = replicaFailureConditions(cur.status?.conditions, errors[0], isoTime(now));
    if (conditions.length) next.conditions = conditions;
    if (JSON.stringify(cur.status) !== JSON.stringify(next)) {
      cur.status = next;
      store.update(RS, cur, { subresource: "status", force: true });
    }
    if (rs.spec.minReadySeconds && status.readyReplicas > status.availableReplicas) queue.addAfter(key, rs.spec.minReadySeconds * 1000);
    // A failed create is retried with the rate-limited queue's exponential backoff.
    if (errors.length) {
      const delay = Math.min((backoff.get(key) ?? FIRST_RETRY_MS / 2) * 2, MAX_RETRY_MS);
      backoff.set(key, delay);
      queue.addAfter(key, delay);
    } else backoff.delete(key);
  }
  const backoff = new Map<string, number>();

  const queue = createWorkQueue(clock, "replicaset", reconcile);
  const stops = [
    store.watch(RS, {}, (e) => {
      if (e.type !== "DELETED") queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
    }),
    store.watch("pods", {}, (e) => {
      const ref = controllerOf(e.object);
      if (ref?.kind === "ReplicaSet") queue.add(nsKey(e.object.metadata.namespace, ref.name));
      else if (!ref && e.type !== "DELETED") {
        for (const rs of store.list(RS, { namespace: e.object.metadata.namespace }).items as ReplicaSet[]) {
          if (matchesLabels(selectorFromObject(rs.spec.selector), e.object.metadata.labels)) queue.add(nsKey(rs.metadata.namespace, rs.metadata.name));
        }
      }
    }),
  ];
  for (const rs of store.list(RS).items) queue.add(nsKey(rs.metadata.namespace, rs.metadata.name));
  return {
    stop() {
      for (const s of stops) s();
      queue.stop();
    },
  };
}
