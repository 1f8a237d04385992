/**
 * statefulset-controller: pods `<name>-0 … <name>-(n-1)` with stable hostnames and one claim per
 * volumeClaimTemplate (`<template>-<name>-<ordinal>`), created in order and each only once the
 * previous one is Running and Ready (OrderedReady), or all at once (Parallel); scale-down from the
 * highest ordinal; RollingUpdate from the highest ordinal down to the partition, one pod at a time.
 * Events as the real controller words them: `create Pod web-0 in StatefulSet web successful`,
 * `create Claim data-web-0 Pod web-0 in StatefulSet web success`, `delete Pod web-2 in StatefulSet web successful`.
 */
import { admitCreate } from "../api/admission/admission-chain";
import type { SimComponent } from "../contracts";
import type { KubeObject, ObjectMeta } from "../store/types";
import type { Pod, PodTemplate } from "./api-types";
import { controllerOf, isPodAvailable, isPodReady, ownerRefTo, templateHash } from "./object-helpers";
import type { ControllerOptions } from "./replicaset-controller";
import { createWorkQueue, nsKey, splitKey } from "./work-queue";

const STS = "statefulsets.apps";
const CR = "controllerrevisions.apps";

interface StatefulSet extends KubeObject {
  metadata: ObjectMeta & { name: string; namespace: string; uid: string };
  spec: {
    replicas?: number;
    serviceName?: string;
    selector: { matchLabels?: Record<string, string> };
    template: PodTemplate;
    volumeClaimTemplates?: { metadata: { name: string; labels?: Record<string, string> }; spec: Record<string, unknown> }[];
    podManagementPolicy?: "OrderedReady" | "Parallel";
    updateStrategy?: { type?: "RollingUpdate" | "OnDelete"; rollingUpdate?: { partition?: number } };
    minReadySeconds?: number;
    ordinals?: { start?: number };
  };
  status?: Record<string, unknown>;
}

export function startStatefulSetController(opts: ControllerOptions): SimComponent {
  const { store, clock, events } = opts;

  function revisionName(sts: StatefulSet): string {
    return `${sts.metadata.name}-${templateHash(sts.spec.template).slice(0, 10)}`;
  }

  function ensureRevision(sts: StatefulSet, name: string): void {
    if (store.get(CR, sts.metadata.namespace, name)) return;
    const revs = store.list(CR, { namespace: sts.metadata.namespace }).items.filter((r) => controllerOf(r)?.uid === sts.metadata.uid);
    const max = Math.max(0, ...revs.map((r) => Number(r.revision ?? 0)));
    store.create(CR, {
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: { name, namespace: sts.metadata.namespace, labels: { ...(sts.spec.template.metadata?.labels ?? {}), "controller-revision-hash": name }, ownerReferences: [ownerRefTo(sts)] },
      data: { spec: { template: { ...sts.spec.template, $patch: "replace" } } },
      revision: max + 1,
    });
  }

  /** Creates the pod's missing claims; returns the first failure as the controller wraps it, if any. */
  function ensureClaims(sts: StatefulSet, podName: string): string | undefined {
    let failure: string | undefined;
    for (const t of sts.spec.volumeClaimTemplates ?? []) {
      const claim = `${t.metadata.name}-${podName}`;
      if (store.get("persistentvolumeclaims", sts.metadata.namespace, claim)) continue;
      try {
        const pvc = {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: { name: claim, namespace: sts.metadata.namespace, labels: { ...(sts.spec.selector.matchLabels ?? {}), ...(t.metadata.labels ?? {}) } },
          spec: structuredClone(t.spec),
        };
        admitCreate(store, "persistentvolumeclaims", pvc, clock.now());
        store.create("persistentvolumeclaims", pvc);
        events.record({ involvedObject: sts, type: "Normal", reason: "SuccessfulCreate", message: `create Claim ${claim} Pod ${podName} in StatefulSet ${sts.metadata.name} success`, component: "statefulset-controller" });
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        events.record({ involvedObject: sts, type: "Warning", reason: "FailedCreate", message: `create Claim ${claim} for Pod ${podName} in StatefulSet ${sts.metadata.name} failed error: ${msg}`, component: "statefulset-controller" });
        failure ??= `failed to create PVC ${claim}: ${msg}`;
      }
    }
    return failure;
  }

  /** Creates one pod (after its claims); false when the apiserver refused it. */
  function createPod(sts: StatefulSet, ordinal: number, revision: string): boolean {
    const name = `${sts.metadata.name}-${ordinal}`;
    const claimFailure = ensureClaims(sts, name);
    if (claimFailure) {
      // The pod is not created without its claims (createPersistentVolumeClaims fails the sync).
      events.record({ involvedObject: sts, type: "Warning", reason: "FailedCreate", message: `create Pod ${name} in StatefulSet ${sts.metadata.name} failed error: ${claimFailure}`, component: "statefulset-controller" });
      return false;
    }
    const spec = structuredClone(sts.spec.template.spec);
    spec.hostname = name;
    if (sts.spec.serviceName) spec.subdomain = sts.spec.serviceName;
    const claimVolumes = (sts.spec.volumeClaimTemplates ?? []).map((t) => ({ name: t.metadata.name, persistentVolumeClaim: { claimName: `${t.metadata.name}-${name}` } }));
    spec.volumes = [...(spec.volumes ?? []).filter((v) => !claimVolumes.some((c) => c.name === v.name)), ...claimVolumes];
    const pod: Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name,
        namespace: sts.metadata.namespace,
        uid: "",
        labels: {
          ...(sts.spec.template.metadata?.labels ?? {}),
          "apps.kubernetes.io/pod-index": String(ordinal),
          "controller-revision-hash": revision,
          "statefulset.kubernetes.io/pod-name": name,
        },
        ownerReferences: [ownerRefTo(sts)],
      },
      spec,
    };
    try {
      admitCreate(store, "pods", pod, clock.now());
      store.create("pods", pod);
      events.record({ involvedObject: sts, type: "Normal", reason: "SuccessfulCreate", message: `create Pod ${name} in StatefulSet ${sts.metadata.name} successful`, component: "statefulset-controller" });
      return true;
    } catch (err) {
      events.record({ involvedObject: sts, type: "Warning", reason: "FailedCreate", message: `create Pod ${name} in StatefulSet ${sts.metadata.name} failed error: ${err instanceof Error ? err.message : String(err)}`, component: "statefulset-controller" });
      return false;
    }
  }

  function deletePod(sts: StatefulSet, p: Pod): void {
    try {
      store.delete("pods", p.metadata.namespace, p.metadata.name);
      events.record({ involvedObject: sts, type: "Normal", reason: "SuccessfulDelete", message: `delete Pod ${p.metadata.name} in StatefulSet ${sts.metadata.name} successful`, component: "statefulset-controller" });
    } catch {
      // gone
    }
  }

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const sts = store.get(STS, ns, name) as StatefulSet | undefined;
    if (!sts || sts.metadata.deletionTimestamp) return;
    const updateRevision = revisionName(sts);
    ensureRevision(sts, updateRevision);
    const replicas = sts.spec.replicas ?? 1;
    const start = sts.spec.ordinals?.start ?? 0;
    const parallel = sts.spec.podManagementPolicy === "Parallel";
    const owned = (store.list("pods", { namespace: ns }).items as Pod[]).filter((p) => controllerOf(p)?.uid === sts.metadata.uid);
    const byOrdinal = new Map<number, Pod>();
    for (const p of owned) {
      const m = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-(\\d+)$`).exec(p.metadata.name);
      if (m) byOrdinal.set(Number(m[1]), p);
    }
    const healthy = (p: Pod | undefined) => Boolean(p && !p.metadata.deletionTimestamp && p.status?.phase === "Running" && isPodReady(p));
    const now = clock.now();
    let blocked = false;
    let createFailed = false;
    // Create missing and replace failed pods, in order.
    for (let i = start; i < start + replicas; i++) {
      const p = byOrdinal.get(i);
      if (p && (p.status?.phase === "Failed" || p.status?.phase === "Succeeded") && !p.metadata.deletionTimestamp) {
        deletePod(sts, p);
        if (!parallel) blocked = true;
        continue;
      }
      if (!p) {
        if (blocked) break;
        if (!createPod(sts, i, updateRevision)) createFailed = true;
        if (!parallel) blocked = true;
        continue;
      }
      if (!parallel && !healthy(p)) blocked = true;
    }
    // Scale down from the highest ordinal.
    const extra = [...byOrdinal.entries()].filter(([i]) => i < start || i >= start + replicas).sort((a, b) => b[0] - a[0]);
    for (const [, p] of extra) {
      if (p.metadata.deletionTimestamp) {
        if (!parallel) break;
        continue;
      }
      if (!parallel && (blocked || [...byOrdinal.entries()].some(([i, q]) => i >= start && i < start + replicas && !healthy(q)))) break;
      deletePod(sts, p);
      if (!parallel) break;
    }
    // Rolling update: highest ordinal first, down to the partition, one pod at a time.
    if ((sts.spec.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate" && !blocked) {
      const partition = sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
      const inRange = [...byOrdinal.entries()].filter(([i]) => i >= start && i < start + replicas).sort((a, b) => b[0] - a[0]);
      if (inRange.every(([, p]) => healthy(p))) {
        const stale = inRange.find(([i, p]) => i >= start + partition && p.metadata.labels?.["controller-revision-hash"] !== updateRevision);
        if (stale) deletePod(sts, stale[1]);
      }
    }
    const fresh = (store.list("pods", { namespace: ns }).items as Pod[]).filter((p) => controllerOf(p)?.uid === sts.metadata.uid && !p.metadata.deletionTimestamp);
    const updated = fresh.filter((p) => p.metadata.labels?.["controller-revision-hash"] === updateRevision).length;
    const prevCurrent = typeof sts.status?.currentRevision === "string" ? sts.status.currentRevision : updateRevision;
    const currentRevision = updated === replicas && fresh.length === replicas ? updateRevision : prevCurrent;
    const status: Record<string, unknown> = {
      observedGeneration: sts.metadata.generation,
      replicas: fresh.length,
      readyReplicas: fresh.filter(isPodReady).length || undefined,
      currentReplicas: fresh.filter((p) => p.metadata.labels?.["controller-revision-hash"] === currentRevision).length || undefined,
      updatedReplicas: updated || undefined,
      availableReplicas: fresh.filter((p) => isPodAvailable(p, sts.spec.minReadySeconds ?? 0, now)).length,
      currentRevision,
      updateRevision,
      collisionCount: 0,
    };
    const clean = JSON.parse(JSON.stringify(status)) as Record<string, unknown>;
    const cur = store.get(STS, ns, name);
    if (cur && JSON.stringify(cur.status) !== JSON.stringify(clean)) {
      cur.status = clean;
      store.update(STS, cur, { subresource: "status", force: true });
    }
    // A refused create is retried with the rate-limited queue's backoff (5 ms doubling, at most 1000 s).
    if (createFailed) {
      const delay = Math.min((backoff.get(key) ?? 2.5) * 2, 1_000_000);
      backoff.set(key, delay);
      queue.addAfter(key, delay);
    } else backoff.delete(key);
  }

  const backoff = new Map<string, number>();
  const queue = createWorkQueue(clock, "statefulset", reconcile);
  const stops = [
    store.watch(STS, {}, (e) => {
      if (e.type !== "DELETED") queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
    }),
    store.watch("pods", {}, (e) => {
      const ref = controllerOf(e.object);
      if (ref?.kind === "StatefulSet") queue.add(nsKey(e.object.metadata.namespace, ref.name));
    }),
  ];
  for (const s of store.list(STS).items) queue.add(nsKey(s.metadata.namespace, s.metadata.name));
  return {
    stop() {
      for (const s of stops) s();
      queue.stop();
    },
  };
}
