/**
 * deployment-controller: one ReplicaSet per pod template (`<name>-<pod-template-hash>`), revision
 * annotations (so `kubectl rollout history|undo` work as kubectl does them client-side), the
 * RollingUpdate arithmetic of the real controller (maxSurge rounds up, maxUnavailable down, old
 * ReplicaSets scaled down only as far as availability allows), Recreate, pause, revision history
 * cleanup, and the Available/Progressing conditions that `kubectl rollout status` reads, including
 * ProgressDeadlineExceeded. Events: `Scaled up replica set web-6bccddcdc8 from 0 to 2`.
 */
import type { SimComponent } from "../contracts";
import type { Deployment, DeploymentCondition, Pod, ReplicaSet } from "./api-types";
import { controllerOf, intOrPercent, isoTime, ownerRefTo, sameTemplate, templateHash } from "./object-helpers";
import type { ControllerOptions } from "./replicaset-controller";
import { createWorkQueue, nsKey, splitKey } from "./work-queue";

const DEP = "deployments.apps";
const RS = "replicasets.apps";
const REV = "deployment.kubernetes.io/revision";

function revisionOf(rs: ReplicaSet): number {
  return Number(rs.metadata.annotations?.[REV] ?? 0) || 0;
}

/** Annotations a Deployment passes on to its ReplicaSets (not kubectl's bookkeeping ones). */
function copyableAnnotations(d: Deployment): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (k === "kubectl.kubernetes.io/last-applied-configuration" || k.startsWith("deployment.kubernetes.io/")) continue;
    out[k] = v;
  }
  return out;
}

export function startDeploymentController(opts: ControllerOptions): SimComponent {
  const { store, clock, events } = opts;

  function scaleRS(d: Deployment, rs: ReplicaSet, to: number, extraAnn?: Record<string, string>): ReplicaSet {
    const from = rs.spec.replicas ?? 0;
    const cur = store.get(RS, rs.metadata.namespace, rs.metadata.name) as ReplicaSet | undefined;
    if (!cur) return rs;
    cur.spec.replicas = to;
    const maxSurge = intOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge, d.spec.replicas ?? 1, true, "25%");
    cur.metadata.annotations = {
      ...(cur.metadata.annotations ?? {}),
      "deployment.kubernetes.io/desired-replicas": String(d.spec.replicas ?? 1),
      "deployment.kubernetes.io/max-replicas": String((d.spec.replicas ?? 1) + (d.spec.strategy?.type === "Recreate" ? 0 : maxSurge)),
      ...(extraAnn ?? {}),
    };
    const updated = store.update(RS, cur, { force: true }) as ReplicaSet;
    if (from !== to) {
      events.record({
        involvedObject: d,
        type: "Normal",
        reason: "ScalingReplicaSet",
        message: `Scaled ${to > from ? "up" : "down"} replica set ${rs.metadata.name} from ${from} to ${to}`,
        component: "deployment-controller",
      });
    }
    return updated;
  }

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const d = store.get(DEP, ns, name) as Deployment | undefined;
    if (!d || d.metadata.deletionTimestamp) return;
    const replicas = d.spec.replicas ?? 1;
    const all = (store.list(RS, { namespace: ns }).items as ReplicaSet[]).filter((rs) => controllerOf(rs)?.uid === d.metadata.uid);
    let newRS = all.find((rs) => sameTemplate(rs.spec.template, d.spec.template));
    const olds = all.filter((rs) => rs !== newRS);
    const maxOldRev = Math.max(0, ...olds.map(revisionOf));
    let createdNew = false;

    if (!newRS && !d.spec.paused) {
      const hash = templateHash(d.spec.template, d.status?.collisionCount);
      const template = structuredClone(d.spec.template);
      template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), "pod-template-hash": hash } };
      const rs: ReplicaSet = {
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: ns,
          uid: "",
          labels: { ...(d.spec.template.metadata?.labels ?? {}), "pod-template-hash": hash },
          annotations: {
            ...copyableAnnotations(d),
            "deployment.kubernetes.io/desired-replicas": String(replicas),
            "deployment.kubernetes.io/max-replicas": String(replicas + intOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge, replicas, true, "25%")),
            [REV]: String(maxOldRev + 1),
          },
          ownerReferences: [ownerRefTo(d)],
        },
        spec: {
          replicas: 0,
          minReadySeconds: d.spec.minReadySeconds,
          selector: {
            ...d.spec.selector,
            matchLabels: { ...(d.spec.selector.matchLabels ?? {}), "pod-template-hash": hash },
          },
          template,
        },
      };
      if (rs.spec.minReadySeconds === undefined) delete rs.spec.minReadySeconds;
      try {
        newRS = store.create(RS, rs) as ReplicaSet;
        createdNew = true;
      } catch {
        // A hash collision with a foreign RS: bump collisionCount and retry, as the real one does.
        const cur = store.get(DEP, ns, name) as Deployment | undefined;
        if (cur) {
          cur.status = { ...(cur.status ?? {}), collisionCount: (cur.status?.collisionCount ?? 0) + 1 };
          store.update(DEP, cur, { subresource: "status", force: true });
        }
        queue.add(key);
        return;
      }
    } else if (newRS && revisionOf(newRS) <= maxOldRev && !d.spec.paused) {
      // Rolled back to an older template: that ReplicaSet becomes the newest revision.
      const hist = [newRS.metadata.annotations?.["deployment.kubernetes.io/revision-history"], String(revisionOf(newRS))].filter(Boolean).join(",");
      newRS = scaleRS(d, newRS, newRS.spec.replicas ?? 0, { [REV]: String(maxOldRev + 1), "deployment.kubernetes.io/revision-history": hist, ...copyableAnnotations(d) });
    }

    if (!d.spec.paused && newRS) {
      if (d.spec.strategy?.type === "Recreate") {
        let oldActive = 0;
        for (const rs of olds) {
          if ((rs.spec.replicas ?? 0) > 0) scaleRS(d, rs, 0);
          oldActive += rs.status?.replicas ?? 0;
        }
        const oldPods = (store.list("pods", { namespace: ns }).items as Pod[]).filter((p) => olds.some((rs) => controllerOf(p)?.uid === rs.metadata.uid));
        if (oldActive === 0 && oldPods.length === 0 && (newRS.spec.replicas ?? 0) !== replicas) newRS = scaleRS(d, newRS, replicas);
      } else {
        newRS = rollingUpdate(d, newRS, olds);
      }
    } else if (d.spec.paused && newRS && (newRS.spec.replicas ?? 0) !== replicas && olds.every((rs) => (rs.spec.replicas ?? 0) === 0)) {
      newRS = scaleRS(d, newRS, replicas);
    }

    cleanupHistory(d, olds);
    updateStatus(d, newRS, createdNew);
  }

  function rollingUpdate(d: Deployment, newRS: ReplicaSet, olds: ReplicaSet[]): ReplicaSet {
    const replicas = d.spec.replicas ?? 1;
    let maxSurge = intOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge, replicas, true, "25%");
    let maxUnavailable = intOrPercent(d.spec.strategy?.rollingUpdate?.maxUnavailable, replicas, false, "25%");
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    if (maxUnavailable > replicas) maxUnavailable = replicas;
    maxSurge = Math.max(0, maxSurge);
    const specSum = () => [newRS, ...olds].reduce((s, rs) => s + (rs.spec.replicas ?? 0), 0);

    // reconcileNewReplicaSet
    const newCount = newRS.spec.replicas ?? 0;
    if (newCount > replicas) newRS = scaleRS(d, newRS, replicas);
    else if (newCount < replicas) {
      const maxTotal = replicas + maxSurge;
      const current = specSum();
      if (current < maxTotal) {
        const up = Math.min(maxTotal - current, replicas - newCount);
        if (up > 0) newRS = scaleRS(d, newRS, newCount + up);
      }
    }

    // reconcileOldReplicaSets
    const oldCount = olds.reduce((s, rs) => s + (rs.spec.replicas ?? 0), 0);
    if (oldCount === 0) return newRS;
    const allPods = specSum();
    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = (newRS.spec.replicas ?? 0) - (newRS.status?.availableReplicas ?? 0);
    let maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return newRS;
    const byAge = [...olds].sort((a, b) => (Date.parse(a.metadata.creationTimestamp ?? "") || 0) - (Date.parse(b.metadata.creationTimestamp ?? "") || 0));
    // cleanupUnhealthyReplicas: old pods that are not available can go first.
    for (let i = 0; i < byAge.length && maxScaledDown > 0; i++) {
      const rs = byAge[i]!;
      const unhealthy = (rs.spec.replicas ?? 0) - (rs.status?.availableReplicas ?? 0);
      if (unhealthy <= 0) continue;
      const down = Math.min(unhealthy, maxScaledDown);
      byAge[i] = scaleRS(d, rs, (rs.spec.replicas ?? 0) - down);
      maxScaledDown -= down;
    }
    // scaleDownOldReplicaSetsForRollingUpdate
    const available = [newRS, ...byAge].reduce((s, rs) => s + (rs.status?.availableReplicas ?? 0), 0);
    let total = available - minAvailable;
    for (let i = 0; i < byAge.length && total > 0; i++) {
      const rs = byAge[i]!;
      const cur = rs.spec.replicas ?? 0;
      if (cur === 0) continue;
      const down = Math.min(cur, total);
      byAge[i] = scaleRS(d, rs, cur - down);
      total -= down;
    }
    return newRS;
  }

  function cleanupHistory(d: Deployment, olds: ReplicaSet[]): void {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const dead = olds
      .filter((rs) => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of dead.slice(0, Math.max(0, dead.length - limit))) {
      try {
        store.delete(RS, rs.metadata.namespace, rs.metadata.name);
      } catch {
        // gone
      }
    }
  }

  /** getReplicaFailures: the new ReplicaSet's ReplicaFailure condition, else an old one's, as a Deployment condition. */
  function replicaFailure(newRS: ReplicaSet | undefined, rses: ReplicaSet[]): DeploymentCondition[] {
    const failureOf = (rs: ReplicaSet | undefined) =>
      ((rs?.status?.conditions ?? []) as { type?: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string }[]).find((c) => c.type === "ReplicaFailure");
    const c = failureOf(newRS) ?? rses.map(failureOf).find(Boolean);
    if (!c) return [];
    return [{ type: "ReplicaFailure", status: c.status as DeploymentCondition["status"], lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason ?? "", message: c.message ?? "" }];
  }

  function updateStatus(d: Deployment, newRS: ReplicaSet | undefined, createdNew: boolean): void {
    const ns = d.metadata.namespace;
    const rses = (store.list(RS, { namespace: ns }).items as ReplicaSet[]).filter((rs) => controllerOf(rs)?.uid === d.metadata.uid);
    const fresh = newRS ? rses.find((r) => r.metadata.uid === newRS.metadata.uid) : undefined;
    const replicas = d.spec.replicas ?? 1;
    const sum = (f: (rs: ReplicaSet) => number) => rses.reduce((s, rs) => s + f(rs), 0);
    const statusReplicas = sum((rs) => rs.status?.replicas ?? 0);
    const updated = fresh?.status?.replicas ?? 0;
    const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
    const available = sum((rs) => rs.status?.availableReplicas ?? 0);
    const maxUnavailable = d.spec.strategy?.type === "Recreate" ? 0 : intOrPercent(d.spec.strategy?.rollingUpdate?.maxUnavailable, replicas, false, "25%");
    const ts = isoTime(clock.now());
    const prev = d.status?.conditions ?? [];
    const cond = (type: string, status: DeploymentCondition["status"], reason: string, message: string, bumpUpdate: boolean): DeploymentCondition => {
      const p = prev.find((c) => c.type === type);
      const same = p && p.status === status && p.reason === reason && p.message === message;
      return {
        type,
        status,
        lastUpdateTime: same && !bumpUpdate ? (p.lastUpdateTime ?? ts) : ts,
        lastTransitionTime: p && p.status === status ? (p.lastTransitionTime ?? ts) : ts,
        reason,
        message,
      };
    };
    const avail =
      available >= replicas - maxUnavailable
        ? cond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", false)
        : cond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", false);
    const rsName = fresh?.metadata.name ?? "";
    const complete = updated === replicas && available === replicas && statusReplicas === replicas && Boolean(fresh);
    const prevProg = prev.find((c) => c.type === "Progressing");
    const oldStatus = d.status ?? {};
    const progressed =
      (oldStatus.updatedReplicas ?? 0) !== updated || (oldStatus.availableReplicas ?? 0) !== available || (oldStatus.readyReplicas ?? 0) !== ready || (oldStatus.replicas ?? 0) !== statusReplicas;
    let prog: DeploymentCondition;
    const deadline = d.spec.progressDeadlineSeconds ?? 600;
    if (d.spec.paused) prog = cond("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", false);
    else if (complete) prog = cond("Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "${rsName}" has successfully progressed.`, false);
    else if (createdNew) prog = cond("Progressing", "True", "NewReplicaSetCreated", `Created new replica set "${rsName}"`, true);
    else if (
      prevProg &&
      prevProg.reason !== "NewReplicaSetAvailable" &&
      !progressed &&
      clock.now().getTime() - Date.parse(prevProg.lastUpdateTime ?? ts) > deadline * 1000
    ) {
      prog = cond("Progressing", "False", "ProgressDeadlineExceeded", `ReplicaSet "${rsName}" has timed out progressing.`, false);
      if (prevProg.reason !== "ProgressDeadlineExceeded") {
        events.record({ involvedObject: d, type: "Warning", reason: "ProgressDeadlineExceeded", message: `Deployment "${d.metadata.name}" has timed out progressing.`, component: "deployment-controller" });
      }
    } else if (prevProg?.reason === "ProgressDeadlineExceeded" && !progressed) prog = cond("Progressing", "False", "ProgressDeadlineExceeded", `ReplicaSet "${rsName}" has timed out progressing.`, false);
    else prog = cond("Progressing", "True", "ReplicaSetUpdated", `ReplicaSet "${rsName}" is progressing.`, progressed || prevProg?.reason !== "ReplicaSetUpdated");
    const status: NonNullable<Deployment["status"]> = {
      observedGeneration: d.metadata.generation,
      replicas: statusReplicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      unavailableReplicas: Math.max(0, replicas - available),
      conditions: [avail, prog, ...replicaFailure(fresh, rses)],
    };
    if (d.status?.collisionCount) status.collisionCount = d.status.collisionCount;
    for (const k of ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas"] as const) if (!status[k]) delete status[k];
    const cur = store.get(DEP, d.metadata.namespace, d.metadata.name) as Deployment | undefined;
    if (!cur) return;
    const revision = fresh ? String(revisionOf(fresh)) : cur.metadata.annotations?.[REV];
    if (revision && cur.metadata.annotations?.[REV] !== revision) {
      cur.metadata.annotations = { ...(cur.metadata.annotations ?? {}), [REV]: revision };
      store.update(DEP, cur, { force: true });
    }
    const again = store.get(DEP, d.metadata.namespace, d.metadata.name) as Deployment | undefined;
    if (!again) return;
    if (JSON.stringify(again.status) !== JSON.stringify(status)) {
      again.status = status;
      store.update(DEP, again, { subresource: "status", force: true });
    }
    if (!complete && !d.spec.paused) queue.addAfter(nsKey(d.metadata.namespace, d.metadata.name), Math.min(deadline * 1000 + 1000, 30_000));
  }

  const queue = createWorkQueue(clock, "deployment", reconcile);
  const stops = [
    store.watch(DEP, {}, (e) => {
      if (e.type !== "DELETED") queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
    }),
    store.watch(RS, {}, (e) => {
      const ref = controllerOf(e.object);
      if (ref?.kind === "Deployment") queue.add(nsKey(e.object.metadata.namespace, ref.name));
    }),
    store.watch("pods", {}, (e) => {
      // Old pods finishing termination unblock Recreate.
      if (e.type !== "DELETED") return;
      const ref = controllerOf(e.object);
      if (ref?.kind !== "ReplicaSet") return;
      const rs = store.get(RS, e.object.metadata.namespace, ref.name);
      const dref = rs ? controllerOf(rs) : undefined;
      if (dref?.kind === "Deployment") queue.add(nsKey(e.object.metadata.namespace, dref.name));
    }),
  ];
  for (const d of store.list(DEP).items) queue.add(nsKey(d.metadata.namespace, d.metadata.name));
  return {
    stop() {
      for (const s of stops) s();
      queue.stop();
    },
  };
}
