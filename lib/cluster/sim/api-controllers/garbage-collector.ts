import type { SimComponent } from "../contracts";
import type { ObjectStore } from "../store/object-store";
import { StatusError } from "../store/status-error";
import type { KubeObject, StoreEvent } from "../store/types";

/**
 * kube-controller-manager's garbage collector, on the store's events: when an owner goes,
 * its dependents go too (Background); an owner deleted with propagationPolicy=Orphan keeps its
 * dependents and loses only the owner references (finalizer "orphan"); Foreground deletes the
 * dependents first and releases the owner (finalizer "foregroundDeletion") when none remain.
 * A dependent is collected only when none of its owners exist any more.
 */

interface Ref {
  key: string;
  obj: Readonly<KubeObject>;
}

function ignoreNotFound(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
  }
}

export function startGarbageCollector(store: ObjectStore): SimComponent {
  const dependentsOf = (uid: string): Ref[] => {
    const out: Ref[] = [];
    for (const r of store.scan()) if (r.obj.metadata.ownerReferences?.some((o) => o.uid === uid)) out.push(r);
    return out;
  };
  const findUid = (uid: string): Ref | undefined => {
    for (const r of store.scan()) if (r.obj.metadata.uid === uid) return r;
    return undefined;
  };
  /** An owner that is gone or being deleted no longer keeps its dependents. */
  const ownerAlive = (uid: string): boolean => {
    const r = findUid(uid);
    return Boolean(r && !r.obj.metadata.deletionTimestamp);
  };

  const removeFinalizer = (key: string, obj: Readonly<KubeObject>, f: string) => {
    const cur = store.get(key, obj.metadata.namespace, obj.metadata.name ?? "");
    if (!cur?.metadata.finalizers?.includes(f)) return;
    cur.metadata.finalizers = cur.metadata.finalizers.filter((x) => x !== f);
    if (!cur.metadata.finalizers.length) delete cur.metadata.finalizers;
    store.update(key, cur, { force: true });
  };

  const deleteDependent = (d: Ref, policy: "Background" | "Foreground") => {
    if ((d.obj.metadata.ownerReferences ?? []).some((r) => ownerAlive(r.uid))) return;
    if (d.obj.metadata.deletionTimestamp) return;
    ignoreNotFound(() => store.delete(d.key, d.obj.metadata.namespace, d.obj.metadata.name ?? "", { propagationPolicy: policy }));
  };

  const processOwner = (key: string, obj: Readonly<KubeObject>) => {
    if (!obj.metadata.deletionTimestamp) return;
    const uid = obj.metadata.uid ?? "";
    const fins = obj.metadata.finalizers ?? [];
    if (fins.includes("orphan")) {
      for (const d of dependentsOf(uid)) {
        const cur = store.get(d.key, d.obj.metadata.namespace, d.obj.metadata.name ?? "");
        if (!cur) continue;
        cur.metadata.ownerReferences = (cur.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
        if (!cur.metadata.ownerReferences.length) delete cur.metadata.ownerReferences;
        store.update(d.key, cur, { force: true });
      }
      removeFinalizer(key, obj, "orphan");
      return;
    }
    if (fins.includes("foregroundDeletion")) {
      const deps = dependentsOf(uid);
      for (const d of deps) deleteDependent(d, "Foreground");
      const blocking = dependentsOf(uid).filter((d) => d.obj.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion));
      if (!blocking.length) removeFinalizer(key, obj, "foregroundDeletion");
    }
  };

  const onEvent = (e: StoreEvent) => {
    try {
      if (e.type === "DELETED") {
        for (const d of dependentsOf(e.object.metadata.uid ?? "")) deleteDependent(d, "Background");
        // A dependent that went may release an owner waiting in foreground deletion.
        for (const r of e.object.metadata.ownerReferences ?? []) {
          const owner = findUid(r.uid);
          if (owner) processOwner(owner.key, owner.obj);
        }
        return;
      }
      processOwner(e.key, e.object);
      if (e.type === "ADDED") {
        // A dependent created for owners that do not exist is collected, as the real GC does.
        const owners = e.object.metadata.ownerReferences ?? [];
        if (owners.length && owners.every((r) => !findUid(r.uid))) deleteDependent({ key: e.key, obj: e.object }, "Background");
      }
    } catch {
      // The GC must never break the write that triggered it; the next event retries.
    }
  };

  let stopped = false;
  const stop = store.watch(null, {}, (e) => {
    // After the write that caused it, like the real GC's informer-driven queue.
    queueMicrotask(() => {
      if (!stopped) onEvent(e);
    });
  });
  return {
    stop() {
      stopped = true;
      stop();
    },
  };
}
