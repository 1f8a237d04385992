/**
 * daemonset-controller: one pod per eligible node. A node is eligible when it matches the
 * template's nodeSelector/affinity and every NoSchedule/NoExecute taint is tolerated, counting the
 * tolerations the controller adds to every DaemonSet pod (not-ready and unreachable NoExecute,
 * disk/memory/pid-pressure and unschedulable NoSchedule, network-unavailable for hostNetwork).
 * Pods get a `metadata.name In [node]` node affinity and are bound by the default scheduler, as in
 * v1.32. RollingUpdate replaces outdated pods maxUnavailable at a time; ControllerRevisions record
 * the templates for `kubectl rollout history`.
 */
import type { SimComponent } from "../contracts";
import type { KubeObject } from "../store/types";
import type { DaemonSet, Node, Pod, Toleration } from "./api-types";
import { controllerOf, intOrPercent, isPodAvailable, isPodReady, ownerRefTo, templateHash, toleratesAll } from "./object-helpers";
import { createPodFromTemplate, deletePodByController, type ControllerOptions } from "./replicaset-controller";
import { podMatchesNode } from "./scheduler";
import { createWorkQueue, nsKey, splitKey } from "./work-queue";

const DS = "daemonsets.apps";
const CR = "controllerrevisions.apps";

/** Tolerations every DaemonSet pod gets (daemon/util.AddOrUpdateDaemonPodTolerations). */
export function daemonTolerations(spec: Pod["spec"]): Toleration[] {
  const t: Toleration[] = [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
  ];
  if (spec.hostNetwork) t.push({ key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" });
  const have = spec.tolerations ?? [];
  return [...have, ...t.filter((x) => !have.some((h) => h.key === x.key && h.effect === x.effect))];
}

export function startDaemonSetController(opts: ControllerOptions): SimComponent {
  const { store, clock, events } = opts;

  function shouldRun(ds: DaemonSet, node: Node): boolean {
    const probe = { metadata: { name: "", namespace: "", uid: "" }, spec: ds.spec.template.spec } as Pod;
    if (!podMatchesNode(probe, node)) return false;
    const tol = daemonTolerations(ds.spec.template.spec);
    return (node.spec.taints ?? []).every((t) => (t.effect !== "NoSchedule" && t.effect !== "NoExecute") || toleratesAll(tol, t));
  }

  function ensureRevision(ds: DaemonSet, hash: string): number {
    const name = `${ds.metadata.name}-${hash}`;
    const revs = (store.list(CR, { namespace: ds.metadata.namespace }).items as (KubeObject & { revision?: number })[]).filter(
      (r) => controllerOf(r)?.uid === ds.metadata.uid,
    );
    const mine = revs.find((r) => r.metadata.name === name);
    const max = Math.max(0, ...revs.map((r) => Number(r.revision ?? 0)));
    if (mine) return Number(mine.revision ?? 1);
    try {
      store.create(CR, {
        apiVersion: "apps/v1",
        kind: "ControllerRevision",
        metadata: {
          name,
          namespace: ds.metadata.namespace,
          labels: { ...(ds.spec.template.metadata?.labels ?? {}), "controller-revision-hash": hash },
          ownerReferences: [ownerRefTo(ds)],
        },
        data: { spec: { template: { ...ds.spec.template, $patch: "replace" } } },
        revision: max + 1,
      });
    } catch {
      // exists
    }
    return max + 1;
  }

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const ds = store.get(DS, ns, name) as DaemonSet | undefined;
    if (!ds || ds.metadata.deletionTimestamp) return;
    const hash = templateHash(ds.spec.template).slice(0, 10);
    ensureRevision(ds, hash);
    const nodes = store.list("nodes").items as Node[];
    const pods = (store.list("pods", { namespace: ns }).items as Pod[]).filter((p) => controllerOf(p)?.uid === ds.metadata.uid);
    const byNode = new Map<string, Pod[]>();
    const nodeOf = (p: Pod) =>
      p.spec.nodeName ??
      p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0] ??
      "";
    for (const p of pods) {
      const n = nodeOf(p);
      byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    const now = clock.now();
    const outdated: Pod[] = [];
    let unavailable = 0;
    for (const node of nodes) {
      const run = shouldRun(ds, node);
      const mine = (byNode.get(node.metadata.name) ?? []).filter((p) => !p.metadata.deletionTimestamp);
      if (run) {
        desired++;
        const failed = mine.filter((p) => p.status?.phase === "Failed");
        for (const p of failed) deletePodByController(store, events, ds, p, "daemonset-controller");
        const live = mine.filter((p) => p.status?.phase !== "Failed");
        if (live.length === 0) {
          createPodFromTemplate(store, events, ds, ds.spec.template, "daemonset-controller", {
            labels: { ...(ds.spec.template.metadata?.labels ?? {}), "controller-revision-hash": hash, "pod-template-generation": String(ds.metadata.generation ?? 1) },
            mutate: (p) => {
              p.spec.tolerations = daemonTolerations(p.spec);
              p.spec.affinity = {
                ...(p.spec.affinity ?? {}),
                nodeAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [node.metadata.name] }] }],
                  },
                },
              };
            },
          });
          unavailable++;
          continue;
        }
        for (const extra of live.slice(1)) deletePodByController(store, events, ds, extra, "daemonset-controller");
        const p = live[0]!;
        if (p.spec.nodeName) current++;
        if (isPodReady(p)) ready++;
        if (isPodAvailable(p, ds.spec.minReadySeconds ?? 0, now)) available++;
        else unavailable++;
        if (p.metadata.labels?.["controller-revision-hash"] === hash) updated++;
        else outdated.push(p);
      } else {
        for (const p of mine) {
          if (p.spec.nodeName) misscheduled++;
          deletePodByController(store, events, ds, p, "daemonset-controller");
        }
      }
    }
    for (const [n, list] of byNode) {
      if (nodes.some((x) => x.metadata.name === n)) continue;
      for (const p of list) if (!p.metadata.deletionTimestamp) deletePodByController(store, events, ds, p, "daemonset-controller");
    }
    if ((ds.spec.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate" && outdated.length) {
      const maxUnavailable = Math.max(1, intOrPercent(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable, desired, false, "1"));
      const terminating = pods.filter((p) => p.metadata.deletionTimestamp).length;
      let budget = maxUnavailable - unavailable - terminating;
      // Outdated pods that are not available anyway go first and cost nothing.
      for (const p of outdated.filter((x) => !isPodAvailable(x, 0, now))) deletePodByController(store, events, ds, p, "daemonset-controller");
      for (const p of outdated.filter((x) => isPodAvailable(x, 0, now))) {
        if (budget <= 0) break;
        deletePodByController(store, events, ds, p, "daemonset-controller");
        budget--;
      }
    }
    const status = {
      currentNumberScheduled: current,
      desiredNumberScheduled: desired,
      numberMisscheduled: misscheduled,
      numberReady: ready,
      numberAvailable: available || undefined,
      numberUnavailable: desired - available || undefined,
      observedGeneration: ds.metadata.generation,
      updatedNumberScheduled: updated || undefined,
    };
    const clean = JSON.parse(JSON.stringify(status)) as Record<string, number>;
    const cur = store.get(DS, ns, name) as DaemonSet | undefined;
    if (cur && JSON.stringify(cur.status) !== JSON.stringify(clean)) {
      cur.status = clean;
      store.update(DS, cur, { subresource: "status", force: true });
    }
  }

  const queue = createWorkQueue(clock, "daemonset", reconcile);
  const all = () => {
    for (const ds of store.list(DS).items) queue.add(nsKey(ds.metadata.namespace, ds.metadata.name));
  };
  const nodeShapes = new Map<string, string>();
  const stops = [
    store.watch(DS, {}, (e) => {
      if (e.type !== "DELETED") queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
    }),
    store.watch("pods", {}, (e) => {
      const ref = controllerOf(e.object);
      if (ref?.kind === "DaemonSet") queue.add(nsKey(e.object.metadata.namespace, ref.name));
    }),
    store.watch("nodes", {}, (e) => {
      const n = e.object as Node;
      const shape = JSON.stringify([e.type, n.metadata.labels, n.spec.taints]);
      if (shape !== nodeShapes.get(n.metadata.name)) {
        nodeShapes.set(n.metadata.name, shape);
        all();
      }
    }),
  ];
  all();
  return {
    stop() {
      for (const s of stops) s();
      queue.stop();
    },
  };
}
