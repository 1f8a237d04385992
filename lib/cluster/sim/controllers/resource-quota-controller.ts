/**
 * resourcequota-controller: keeps each ResourceQuota's `status.hard` (a copy of spec.hard) and
 * `status.used` (what the namespace's objects use of each name) current, recounting a quota
 * when it changes and when an object it counts is created, changed or deleted, and every five
 * minutes (the real full resync), which releases pods stuck terminating past their grace period.
 * `kubectl describe quota` prints these two maps.
 */
import type { SimClock } from "../clock";
import type { SimComponent } from "../contracts";
import { hardOf, keyForResourceName, namespaceUsage } from "../api/admission/quota-usage";
import { formatQuantity } from "../api/quantity";
import type { ObjectStore } from "../store/object-store";
import type { KubeObject } from "../store/types";
import { createWorkQueue, nsKey, splitKey } from "./work-queue";

const QUOTAS = "resourcequotas";
const RESYNC_MS = 5 * 60_000;
/** Kinds no quota name counts but that change constantly; skipped before looking for quotas. */
const NEVER_COUNTED = new Set(["events", "leases.coordination.k8s.io", "endpoints", "endpointslices.discovery.k8s.io"]);

export interface ResourceQuotaControllerOptions {
  store: ObjectStore;
  clock: SimClock;
}

function sortedRecord(entries: [string, string][]): Record<string, string> {
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function startResourceQuotaController(opts: ResourceQuotaControllerOptions): SimComponent {
  const { store, clock } = opts;

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const quota = store.get(QUOTAS, ns, name);
    if (!quota || quota.metadata.deletionTimestamp) return;
    const hard = hardOf(quota, true);
    const used = namespaceUsage(store, quota, hard, clock.now());
    const status = {
      hard: sortedRecord([...hard].map(([k, q]) => [k, formatQuantity(q)])),
      used: sortedRecord([...used].map(([k, q]) => [k, formatQuantity(q)])),
    };
    if (JSON.stringify(quota.status) !== JSON.stringify(status)) {
      quota.status = status;
      store.update(QUOTAS, quota, { subresource: "status", force: true });
    }
    queue.addAfter(key, RESYNC_MS);
  }

  const queue = createWorkQueue(clock, "resourcequota", reconcile);

  function tracks(quota: KubeObject, key: string): boolean {
    return [...hardOf(quota, true).keys()].some((n) => keyForResourceName(n) === key);
  }

  const stop = store.watch(null, {}, (e) => {
    const ns = e.object.metadata.namespace;
    if (e.key === QUOTAS) {
      if (e.type !== "DELETED") queue.add(nsKey(ns, e.object.metadata.name));
      // A quota counts other quotas (`resourcequotas`), so fall through.
    }
    if (!ns || NEVER_COUNTED.has(e.key)) return;
    for (const q of store.list(QUOTAS, { namespace: ns }).items) if (tracks(q, e.key)) queue.add(nsKey(ns, q.metadata.name));
  });
  for (const q of store.list(QUOTAS).items) queue.add(nsKey(q.metadata.namespace, q.metadata.name));
  const unReset = store.onReset(() => {
    for (const q of store.list(QUOTAS).items) queue.add(nsKey(q.metadata.namespace, q.metadata.name));
  });
  return {
    stop() {
      stop();
      unReset();
      queue.stop();
    },
  };
}
