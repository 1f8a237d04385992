/**
 * The events every sim component emits, stored as core/v1 Events the way client-go's recorder
 * writes them: one object per (source, involved object, type, reason, message); a repeat bumps
 * `count` and `lastTimestamp` (kubectl shows "6s (x4 over 50s)"). Events of cluster-scoped objects
 * (nodes) go to namespace "default", as the real recorder does. Events expire after the apiserver's
 * default --event-ttl of one hour.
 */
import type { SimClock } from "../clock";
import type { EventInput, EventRecorder, SimComponent } from "../contracts";
import type { ObjectStore } from "../store/object-store";
import type { KubeObject } from "../store/types";
import { isoTime } from "../controllers/object-helpers";

const EVENT_TTL_MS = 60 * 60 * 1000;

export interface SimEventRecorder extends EventRecorder, SimComponent {}

interface Known {
  namespace: string;
  name: string;
}

export function createEventRecorder(store: ObjectStore, clock: SimClock): SimEventRecorder {
  const known = new Map<string, Known>();

  function keyOf(e: EventInput): string {
    const o = e.involvedObject;
    return JSON.stringify([e.component, e.host ?? "", o.kind, o.metadata.namespace ?? "", o.metadata.name, o.metadata.uid ?? "", e.fieldPath ?? "", e.type, e.reason, e.message]);
  }

  function involved(o: KubeObject, fieldPath?: string): Record<string, string> {
    const ref: Record<string, string> = { kind: o.kind, name: o.metadata.name ?? "", apiVersion: o.apiVersion };
    if (o.metadata.namespace) ref.namespace = o.metadata.namespace;
    // The kubelet refers to its Node by name as UID; everyone else uses the real uid.
    ref.uid = o.kind === "Node" ? (o.metadata.name ?? "") : (o.metadata.uid ?? "");
    if (o.metadata.resourceVersion && o.kind !== "Node") ref.resourceVersion = o.metadata.resourceVersion;
    if (fieldPath) ref.fieldPath = fieldPath;
    return ref;
  }

  function record(e: EventInput): void {
    const now = clock.now();
    const ts = isoTime(now);
    const key = keyOf(e);
    const prev = known.get(key);
    if (prev) {
      const cur = store.get("events", prev.namespace, prev.name);
      if (cur) {
        cur.count = Number(cur.count ?? 1) + 1;
        cur.lastTimestamp = ts;
        try {
          store.update("events", cur, { force: true });
          return;
        } catch {
          // deleted meanwhile: fall through and create a fresh one
        }
      }
    }
    const namespace = e.involvedObject.metadata.namespace ?? "default";
    const nanos = BigInt(now.getTime()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
    const name = `${e.involvedObject.metadata.name}.${nanos.toString(16)}`;
    const ev: KubeObject = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject: involved(e.involvedObject, e.fieldPath),
      reason: e.reason,
      message: e.message,
      source: e.host ? { component: e.component, host: e.host } : { component: e.component },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type: e.type,
      eventTime: null,
      reportingComponent: e.component,
      reportingInstance: e.host ?? "",
    };
    try {
      store.create("events", ev);
      known.set(key, { namespace, name });
    } catch {
      // The namespace is gone or terminating: the real recorder drops the event too.
    }
  }

  function expire(): void {
    const cutoff = clock.now().getTime() - EVENT_TTL_MS;
    for (const ev of store.list("events").items) {
      const last = Date.parse(String(ev.lastTimestamp ?? ev.metadata.creationTimestamp ?? ""));
      if (last && last < cutoff) store.purge("events", ev.metadata.namespace, ev.metadata.name ?? "");
    }
    for (const [k, v] of known) if (!store.get("events", v.namespace, v.name)) known.delete(k);
  }

  const stopExpiry = clock.every(5 * 60 * 1000, expire);
  return { record, stop: stopExpiry };
}
