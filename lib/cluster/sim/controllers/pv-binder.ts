/**
 * persistent-volume-binder plus kind's local-path provisioner (rancher.io/local-path):
 * - a claim without storageClassName gets the default class (the DefaultStorageClass admission
 *   plugin does this at create time on a real cluster);
 * - Immediate claims bind to the smallest matching Available PV (class, access modes, capacity);
 * - WaitForFirstConsumer claims wait with `WaitForFirstConsumer` / "waiting for first consumer to
 *   be created before binding" until the scheduler picks a node (volume.kubernetes.io/selected-node);
 * - the provisioner then creates `pvc-<uid>` (hostPath /var/local-path-provisioner/…, node
 *   affinity to that node) and the binder binds both sides;
 * - a claim of a class nobody provisions stays Pending with ProvisioningFailed / ExternalProvisioning
 *   events; deleting a claim releases its PV and the Delete reclaim policy removes it.
 */
import type { SimComponent } from "../contracts";
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from "./api-types";
import { matchesLabels, selectorFromObject } from "../store/selectors";
import { bytesOf } from "./object-helpers";
import type { ControllerOptions } from "./replicaset-controller";
import { createWorkQueue, nsKey, splitKey } from "./work-queue";

const PVC = "persistentvolumeclaims";
const PV = "persistentvolumes";
const SC = "storageclasses.storage.k8s.io";
const DEFAULT_ANN = "storageclass.kubernetes.io/is-default-class";

export function startPvBinder(opts: ControllerOptions): SimComponent {
  const { store, clock, events } = opts;

  function defaultClass(): StorageClass | undefined {
    return (store.list(SC).items as StorageClass[]).find((s) => s.metadata.annotations?.[DEFAULT_ANN] === "true");
  }

  function event(pvc: PersistentVolumeClaim, type: "Normal" | "Warning", reason: string, message: string, component = "persistentvolume-controller"): void {
    events.record({ involvedObject: pvc, type, reason, message, component });
  }

  function bind(pvc: PersistentVolumeClaim, pv: PersistentVolume): void {
    pv.spec.claimRef = { kind: "PersistentVolumeClaim", namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: "v1", resourceVersion: pvc.metadata.resourceVersion };
    const boundPv = store.update(PV, pv, { force: true }) as PersistentVolume;
    boundPv.status = { phase: "Bound" };
    store.update(PV, boundPv, { subresource: "status", force: true });
    const cur = store.get(PVC, pvc.metadata.namespace, pvc.metadata.name) as PersistentVolumeClaim | undefined;
    if (!cur) return;
    cur.spec.volumeName = pv.metadata.name;
    cur.metadata.annotations = { ...(cur.metadata.annotations ?? {}), "pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes" };
    const upd = store.update(PVC, cur, { force: true }) as PersistentVolumeClaim;
    upd.status = { phase: "Bound", accessModes: pv.spec.accessModes, capacity: { storage: pv.spec.capacity?.storage } };
    store.update(PVC, upd, { subresource: "status", force: true });
  }

  function matches(pvc: PersistentVolumeClaim, pv: PersistentVolume): boolean {
    if (pv.status?.phase && pv.status.phase !== "Available") return false;
    if (pv.spec.claimRef && (pv.spec.claimRef.name !== pvc.metadata.name || pv.spec.claimRef.namespace !== pvc.metadata.namespace)) return false;
    if ((pv.spec.storageClassName ?? "") !== (pvc.spec.storageClassName ?? "")) return false;
    if (!(pvc.spec.accessModes ?? []).every((m) => (pv.spec.accessModes ?? []).includes(m))) return false;
    if (pvc.spec.selector && !matchesLabels(selectorFromObject(pvc.spec.selector), pv.metadata.labels)) return false;
    return bytesOf(pv.spec.capacity?.storage) >= bytesOf(pvc.spec.resources?.requests?.storage);
  }

  function reconcileClaim(ns: string, name: string): void {
    let pvc = store.get(PVC, ns, name) as PersistentVolumeClaim | undefined;
    if (!pvc || pvc.metadata.deletionTimestamp) return;
    if (pvc.status?.phase === "Bound") return;
    if (pvc.spec.storageClassName === undefined) {
      const d = defaultClass();
      if (d) {
        pvc.spec.storageClassName = d.metadata.name;
        pvc = store.update(PVC, pvc, { force: true }) as PersistentVolumeClaim;
      }
    }
    if (!pvc.status?.phase) {
      pvc.status = { phase: "Pending" };
      pvc = store.update(PVC, pvc, { subresource: "status", force: true }) as PersistentVolumeClaim;
    }
    if (pvc.spec.volumeName) {
      const pv = store.get(PV, undefined, pvc.spec.volumeName) as PersistentVolume | undefined;
      if (pv && matches(pvc, pv)) bind(pvc, pv);
      return;
    }
    const candidates = (store.list(PV).items as PersistentVolume[]).filter((pv) => matches(pvc!, pv)).sort((a, b) => bytesOf(a.spec.capacity?.storage) - bytesOf(b.spec.capacity?.storage));
    const className = pvc.spec.storageClassName ?? "";
    const sc = className ? (store.get(SC, undefined, className) as StorageClass | undefined) : undefined;
    const wffc = sc?.volumeBindingMode === "WaitForFirstConsumer";
    const node = pvc.metadata.annotations?.["volume.kubernetes.io/selected-node"];
    if (candidates[0] && (!wffc || node)) {
      bind(pvc, candidates[0]);
      return;
    }
    if (wffc && !node) {
      event(pvc, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
      return;
    }
    if (!sc) {
      if (className) event(pvc, "Warning", "ProvisioningFailed", `storageclass.storage.k8s.io "${className}" not found`);
      else event(pvc, "Normal", "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
      return;
    }
    if (sc.provisioner !== "rancher.io/local-path") {
      event(
        pvc,
        "Normal",
        "ExternalProvisioning",
        `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
      );
      return;
    }
    provision(pvc, sc, node);
  }

  function provisionerRunning(): boolean {
    return store.list("pods", { namespace: "local-path-storage" }).items.some((p) => {
      const conds = (p.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions;
      return p.metadata.labels?.app === "local-path-provisioner" && conds?.some((c) => c.type === "Ready" && c.status === "True");
    });
  }

  function provision(pvc: PersistentVolumeClaim, sc: StorageClass, node: string | undefined): void {
    event(
      pvc,
      "Normal",
      "ExternalProvisioning",
      `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
    if (!provisionerRunning()) {
      queue.addAfter(nsKey(pvc.metadata.namespace, pvc.metadata.name), 5_000);
      return;
    }
    const component = "rancher.io/local-path_local-path-provisioner";
    event(pvc, "Normal", "Provisioning", `External provisioner is provisioning volume for claim "${pvc.metadata.namespace}/${pvc.metadata.name}"`, component);
    if (pvc.spec.selector) {
      // sig-storage-lib-external-provisioner refuses claims with a selector before asking the provisioner.
      event(pvc, "Warning", "ProvisioningFailed", `failed to provision volume with StorageClass "${sc.metadata.name}": claim Selector is not supported`, component);
      return;
    }
    if ((pvc.spec.accessModes ?? []).some((m) => m !== "ReadWriteOnce" && m !== "ReadWriteOncePod")) {
      event(pvc, "Warning", "ProvisioningFailed", `failed to provision volume with StorageClass "${sc.metadata.name}": Only support ReadWriteOnce access mode`, component);
      return;
    }
    const name = `pvc-${pvc.metadata.uid}`;
    const path = `/var/local-path-provisioner/${name}_${pvc.metadata.namespace}_${pvc.metadata.name}`;
    let pv = store.get(PV, undefined, name) as PersistentVolume | undefined;
    if (!pv) {
      pv = store.create(PV, {
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: {
          name,
          annotations: { "local.path.provisioner/selected-node": node ?? "", "pv.kubernetes.io/provisioned-by": "rancher.io/local-path" },
          finalizers: ["kubernetes.io/pv-protection"],
        },
        spec: {
          accessModes: pvc.spec.accessModes ?? ["ReadWriteOnce"],
          capacity: { storage: pvc.spec.resources?.requests?.storage ?? "1Gi" },
          hostPath: { path, type: "DirectoryOrCreate" },
          nodeAffinity: node ? { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [node] }] }] } } : undefined,
          persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? "Delete",
          storageClassName: sc.metadata.name,
          volumeMode: pvc.spec.volumeMode ?? "Filesystem",
        },
        status: { phase: "Available" },
      }) as PersistentVolume;
    }
    event(pvc, "Normal", "ProvisioningSucceeded", `Successfully provisioned volume ${name}`, component);
    bind(pvc, pv);
  }

  function reconcileVolume(name: string): void {
    const pv = store.get(PV, undefined, name) as PersistentVolume | undefined;
    if (!pv) return;
    // The apiserver creates volumes Pending; the controller makes them Available (or Bound, pre-bound).
    if (!pv.status?.phase || pv.status.phase === "Pending") {
      pv.status = { phase: pv.spec.claimRef ? "Bound" : "Available" };
      store.update(PV, pv, { subresource: "status", force: true });
      return;
    }
    const ref = pv.spec.claimRef;
    if (!ref && pv.status.phase !== "Available" && !pv.metadata.deletionTimestamp) {
      // An admin cleared claimRef (the usual way to reuse a Released volume): the volume is unused again.
      pv.status = { phase: "Available" };
      store.update(PV, pv, { subresource: "status", force: true });
      return;
    }
    if (pv.status.phase === "Bound" && ref) {
      const claim = store.get(PVC, ref.namespace, ref.name);
      if (!claim || (ref.uid && claim.metadata.uid !== ref.uid)) {
        if ((pv.spec.persistentVolumeReclaimPolicy ?? "Retain") === "Delete") {
          store.delete(PV, undefined, name);
          const after = store.get(PV, undefined, name);
          if (after?.metadata.finalizers?.length) {
            after.metadata.finalizers = [];
            store.update(PV, after, { force: true });
          }
        } else {
          pv.status = { phase: "Released" };
          store.update(PV, pv, { subresource: "status", force: true });
        }
      }
    }
  }

  const queue = createWorkQueue(clock, "pv-binder", (key) => {
    if (key.startsWith("pv:")) reconcileVolume(key.slice(3));
    else {
      const [ns, name] = splitKey(key);
      reconcileClaim(ns, name);
    }
  });
  const claimsAll = () => {
    for (const c of store.list(PVC).items as PersistentVolumeClaim[]) if (c.status?.phase !== "Bound") queue.add(nsKey(c.metadata.namespace, c.metadata.name));
  };
  const stops = [
    store.watch(PVC, {}, (e) => {
      if (e.type === "DELETED") {
        for (const pv of store.list(PV).items as PersistentVolume[]) {
          const ref = pv.spec.claimRef;
          if (ref && ref.name === e.object.metadata.name && ref.namespace === e.object.metadata.namespace) queue.add(`pv:${pv.metadata.name}`);
        }
        return;
      }
      queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
    }),
    store.watch(PV, {}, (e) => {
      if (e.type !== "DELETED") queue.add(`pv:${e.object.metadata.name}`);
      claimsAll();
    }),
    store.watch(SC, {}, claimsAll),
    clock.every(15_000, claimsAll),
  ];
  claimsAll();
  for (const pv of store.list(PV).items) queue.add(`pv:${pv.metadata.name}`);
  return {
    stop() {
      for (const s of stops) s();
      queue.stop();
    },
  };
}
