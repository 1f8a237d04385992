import { randomUUID } from "node:crypto";
import { apiVersionOf, groupResource, type ResourceType } from "./resource-types";
import { matchesFields, matchesLabels, type FieldRequirement, type LabelSelector } from "./selectors";
import { alreadyExists, conflict, forbidden, gone, invalid, notFound } from "./status-error";
import type { KubeObject, StoreEvent } from "./types";

/**
 * The sim cluster's etcd: every object of every kind, one cluster-wide resourceVersion counter,
 * optimistic concurrency, finalizers and graceful deletion, and a watch feed with history.
 * Objects go in and come out as deep copies, so nobody mutates stored state by accident.
 * Policy that the real apiserver puts in controllers (GC, namespace lifecycle) lives in
 * controllers on top of this store, fed by its events.
 */

export interface ListOptions {
  namespace?: string;
  labelSelector?: LabelSelector;
  fieldSelector?: FieldRequirement[];
}

export interface UpdateOptions {
  /** "status" updates only .status; undefined updates everything but .status (for types with a status subresource). */
  subresource?: "status";
  /** Skip the resourceVersion precondition even if the object carries one (server-side controllers). */
  force?: boolean;
  /** `dryRun=All`: return the object as it would be stored, store nothing (the resourceVersion stays). */
  dryRun?: boolean;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface WatchOptions extends ListOptions {
  /** Send changes after this resourceVersion (from history); omitted = only new changes. */
  sinceRv?: number;
}

type Listener = (e: StoreEvent) => void;

/** The backend a store starts on: the cluster's own etcd data dir. */
export const DEFAULT_BACKEND = "host:/var/lib/etcd";

export interface SwitchBackendOptions {
  /** Start `name` empty even if it held data (a data dir whose member/ is gone, a new container filesystem). */
  reset?: boolean;
  /** Runs when the backend is empty after the switch, before the reset listeners (the apiserver's bootstrap objects). */
  seed?: () => void;
}

/** Changes kept for watch resumption; older resourceVersions get 410 Expired and clients relist, as with the real watch cache. */
const HISTORY = 2_000;
/** Kinds whose strategy tracks metadata.generation (pods only from v1.33 on). */
const GENERATION_KEYS = new Set([
  "deployments.apps",
  "replicasets.apps",
  "daemonsets.apps",
  "statefulsets.apps",
  "jobs.batch",
  "cronjobs.batch",
  "poddisruptionbudgets.policy",
  "networkpolicies.networking.k8s.io",
]);
const NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

export function randomSuffix(n = 5): string {
  let s = "";
  for (let i = 0; i < n; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}

function specOf(o: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = o;
  return JSON.stringify(rest);
}

export class ObjectStore {
  private rv = 0;
  private data = new Map<string, Map<string, KubeObject>>();
  private history: StoreEvent[] = [];
  private readonly listeners = new Set<{ key: string | null; fn: Listener }>();
  /** etcd data per data directory; `data` is the active one's (named `active`), the others are parked here. */
  private readonly parked = new Map<string, Map<string, Map<string, KubeObject>>>();
  private active = DEFAULT_BACKEND;
  private readonly resetListeners = new Set<() => void>();
  private readonly types = new Map<string, ResourceType>();

  constructor(types: ResourceType[], private readonly now: () => Date = () => new Date()) {
    for (const t of types) if (!t.virtual && !t.storageOf) this.types.set(groupResource(t), t);
  }

  /** The data directory etcd serves now (see switchBackend). */
  get backend(): string {
    return this.active;
  }

  /**
   * etcd restarted on another data directory: the objects of `name` become the store's (empty if
   * it never held any, or with `reset`), the current ones are kept aside under the current name and
   * come back intact when etcd returns to it. The resourceVersion counter stays monotonic across
   * backends (real etcd revisions would restart at 1 in a new data dir). Watch history is dropped,
   * so a client resuming an old resourceVersion gets 410 Expired and re-lists, as after a real
   * apiserver/etcd restart; in-process components get onReset and re-list. No watch events are
   * sent for the swap itself.
   */
  switchBackend(name: string, opts: SwitchBackendOptions = {}): void {
    if (name === this.active && !opts.reset) return;
    if (name !== this.active) {
      this.parked.set(this.active, this.data);
      this.data = (!opts.reset && this.parked.get(name)) || new Map();
      this.parked.delete(name);
      this.active = name;
    } else this.data = new Map();
    this.history = [];
    let empty = true;
    for (const b of this.data.values()) if (b.size) empty = false;
    if (empty) opts.seed?.();
    for (const fn of [...this.resetListeners]) {
      try {
        fn();
      } catch {
        // One component failing to re-list must not stop the others.
      }
    }
  }

  /** Called after switchBackend, once the new backend is in place: re-list what you cache. */
  onReset(fn: () => void): () => void {
    this.resetListeners.add(fn);
    return () => this.resetListeners.delete(fn);
  }

  /** Current cluster-wide resourceVersion. */
  get resourceVersion(): number {
    return this.rv;
  }

  /**
   * Every stored object without copying, for controllers that scan across kinds (the GC).
   * The objects are the store's own: callers must not mutate them.
   */
  *scan(): Generator<{ key: string; obj: Readonly<KubeObject> }> {
    for (const [key, b] of this.data) for (const obj of b.values()) yield { key, obj };
  }

  /** Storage keys of every stored type ("pods", "deployments.apps", …). */
  keys(): string[] {
    return [...this.types.keys()];
  }

  typeFor(key: string): ResourceType {
    const t = this.types.get(key);
    if (!t) throw new Error(`sim store: unknown type ${key}`);
    return t;
  }

  private bucket(key: string): Map<string, KubeObject> {
    let b = this.data.get(key);
    if (!b) this.data.set(key, (b = new Map()));
    return b;
  }

  private id(ns: string | undefined, name: string): string {
    return `${ns ?? ""}/${name}`;
  }

  private emit(type: StoreEvent["type"], key: string, object: KubeObject): void {
    const e: StoreEvent = { type, key, object, rv: Number(object.metadata.resourceVersion) };
    this.history.push(e);
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    for (const l of [...this.listeners]) {
      if (l.key === null || l.key === key) {
        try {
          l.fn({ ...e, object: structuredClone(object) });
        } catch {
          // A listener's failure must not break the write that triggered it.
        }
      }
    }
  }

  private nowIso(): string {
    return this.now().toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  get(key: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.data.get(key)?.get(this.id(namespace, name));
    return o ? structuredClone(o) : undefined;
  }

  /** Like get, but throws the real NotFound Status. */
  mustGet(key: string, namespace: string | undefined, name: string): KubeObject {
    const o = this.get(key, namespace, name);
    if (!o) throw notFound(this.typeFor(key), name);
    return o;
  }

  list(key: string, opts: ListOptions = {}): { items: KubeObject[]; resourceVersion: number } {
    const items: KubeObject[] = [];
    for (const o of this.data.get(key)?.values() ?? []) {
      if (opts.namespace && o.metadata.namespace !== opts.namespace) continue;
      if (opts.labelSelector?.length && !matchesLabels(opts.labelSelector, o.metadata.labels)) continue;
      if (opts.fieldSelector?.length && !matchesFields(opts.fieldSelector, o)) continue;
      items.push(structuredClone(o));
    }
    items.sort((a, b) =>
      `${a.metadata.namespace ?? ""}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ""}/${b.metadata.name}`),
    );
    return { items, resourceVersion: this.rv };
  }

  /** `uid` lets the API layer fix the uid before create (a Job's generated selector names it). */
  /** Stores a new object; with dryRun, returns it as it would be stored (no resourceVersion) and stores nothing. */
  create(key: string, input: KubeObject, opts: { uid?: string; dryRun?: boolean } = {}): KubeObject {
    const t = this.typeFor(key);
    const obj = structuredClone(input);
    obj.apiVersion = apiVersionOf(t);
    obj.kind = t.kind;
    const meta = (obj.metadata ??= {});
    if (!meta.name && meta.generateName) {
      for (let i = 0; i < 10 && !meta.name; i++) {
        const candidate = meta.generateName + randomSuffix();
        if (!this.data.get(key)?.has(this.id(meta.namespace, candidate))) meta.name = candidate;
      }
    }
    if (!meta.name) {
      throw invalid(t, "", [{ reason: "FieldValueRequired", message: "name or generateName is required", field: "metadata.name" }]);
    }
    if (t.namespaced) {
      if (!meta.namespace) meta.namespace = "default";
      const ns = this.data.get("namespaces")?.get(this.id(undefined, meta.namespace));
      if (!ns) throw notFound({ group: "", resource: "namespaces" }, meta.namespace);
      if (ns.metadata.deletionTimestamp) {
        throw forbidden(
          `${t.resource} "${meta.name}" is forbidden: unable to create new content in namespace ${meta.namespace} because it is being terminated`,
        );
      }
    } else delete meta.namespace;
    const b = this.bucket(key);
    if (b.has(this.id(meta.namespace, meta.name))) throw alreadyExists(t, meta.name);
    meta.uid = opts.uid ?? randomUUID();
    meta.creationTimestamp = this.nowIso();
    if (GENERATION_KEYS.has(key)) meta.generation = 1;
    else delete meta.generation;
    delete meta.deletionTimestamp;
    if (opts.dryRun) {
      delete meta.resourceVersion;
      return obj;
    }
    meta.resourceVersion = String(++this.rv);
    b.set(this.id(meta.namespace, meta.name), obj);
    this.emit("ADDED", key, obj);
    return structuredClone(obj);
  }

  update(key: string, input: KubeObject, opts: UpdateOptions = {}): KubeObject {
    const t = this.typeFor(key);
    const name = input.metadata?.name ?? "";
    const ns = t.namespaced ? (input.metadata?.namespace ?? "default") : undefined;
    const b = this.bucket(key);
    const cur = b.get(this.id(ns, name));
    if (!cur) throw notFound(t, name);
    const wantRv = input.metadata?.resourceVersion;
    if (!opts.force && wantRv && wantRv !== cur.metadata.resourceVersion) throw conflict(t, name);

    let next: KubeObject;
    if (opts.subresource === "status") {
      next = structuredClone(cur);
      next.status = structuredClone(input.status);
    } else {
      next = structuredClone(input);
      next.apiVersion = apiVersionOf(t);
      next.kind = t.kind;
      // Immutable and server-owned metadata stays the server's.
      next.metadata = {
        ...next.metadata,
        name: cur.metadata.name,
        namespace: cur.metadata.namespace,
        uid: cur.metadata.uid,
        creationTimestamp: cur.metadata.creationTimestamp,
        generation: cur.metadata.generation,
        deletionTimestamp: cur.metadata.deletionTimestamp,
        deletionGracePeriodSeconds: cur.metadata.deletionGracePeriodSeconds,
      };
      if (!t.namespaced) delete next.metadata.namespace;
      if (next.metadata.deletionGracePeriodSeconds === undefined) delete next.metadata.deletionGracePeriodSeconds;
      if (next.metadata.deletionTimestamp === undefined) delete next.metadata.deletionTimestamp;
      if (t.subresources?.includes("status")) next.status = structuredClone(cur.status);
      if (!GENERATION_KEYS.has(key)) delete next.metadata.generation;
      else if (specOf(next) !== specOf(cur)) next.metadata.generation = (cur.metadata.generation ?? 1) + 1;
    }
    if (JSON.stringify(next) === JSON.stringify(cur)) return structuredClone(cur); // no-op writes keep the rv
    if (opts.dryRun) {
      next.metadata.resourceVersion = cur.metadata.resourceVersion;
      return next;
    }
    next.metadata.resourceVersion = String(++this.rv);
    if (next.metadata.deletionTimestamp && !(next.metadata.finalizers?.length) && !this.waitsForKubelet(key, next) && !this.namespaceFinalizing(key, next)) {
      b.delete(this.id(ns, name));
      this.emit("DELETED", key, next);
      return structuredClone(next);
    }
    b.set(this.id(ns, name), next);
    this.emit("MODIFIED", key, next);
    return structuredClone(next);
  }

  /** A namespace stays (Terminating) until the namespace controller empties spec.finalizers. */
  private namespaceFinalizing(key: string, o: KubeObject): boolean {
    return key === "namespaces" && ((o.spec as { finalizers?: string[] } | undefined)?.finalizers?.length ?? 0) > 0;
  }

  /** A terminating pod bound to a node stays until its kubelet confirms (or grace 0 forces it). */
  private waitsForKubelet(key: string, o: KubeObject): boolean {
    return key === "pods" && o.metadata.deletionGracePeriodSeconds !== 0 && Boolean((o.spec as { nodeName?: string } | undefined)?.nodeName);
  }

  /**
   * Deletes an object the way the apiserver does: objects with finalizers, and pods running on a
   * node with a grace period, get a deletionTimestamp and stay until they are released.
   * Returns the object as it was last seen and whether it is gone now.
   */
  delete(key: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): { object: KubeObject; gone: boolean } {
    const t = this.typeFor(key);
    const b = this.bucket(key);
    const id = this.id(t.namespaced ? namespace : undefined, name);
    const cur = b.get(id);
    if (!cur) throw notFound(t, name);
    if (opts.preconditions?.uid && opts.preconditions.uid !== cur.metadata.uid) {
      throw conflict(t, name, `Precondition failed: UID in precondition: ${opts.preconditions.uid}, UID in object meta: ${cur.metadata.uid}`);
    }
    if (opts.preconditions?.resourceVersion && opts.preconditions.resourceVersion !== cur.metadata.resourceVersion) {
      throw conflict(t, name, `Precondition failed: ResourceVersion in precondition: ${opts.preconditions.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`);
    }
    const next = structuredClone(cur);
    const policy = opts.propagationPolicy;
    if (policy === "Foreground" || policy === "Orphan") {
      const f = policy === "Foreground" ? "foregroundDeletion" : "orphan";
      next.metadata.finalizers = [...new Set([...(next.metadata.finalizers ?? []), f])];
    }
    let grace = opts.gracePeriodSeconds;
    if (key === "pods") {
      const spec = (next.spec ?? {}) as { terminationGracePeriodSeconds?: number; nodeName?: string };
      grace ??= spec.terminationGracePeriodSeconds ?? 30;
      if (!spec.nodeName) grace = 0; // an unscheduled pod has nothing to stop
    }
    const hold = (next.metadata.finalizers?.length ?? 0) > 0 || (key === "pods" && (grace ?? 0) > 0) || this.namespaceFinalizing(key, next);
    if (!hold) {
      b.delete(id);
      next.metadata.resourceVersion = String(++this.rv);
      this.emit("DELETED", key, next);
      return { object: structuredClone(next), gone: true };
    }
    if (!next.metadata.deletionTimestamp) {
      const at = new Date(this.now().getTime() + (key === "pods" ? (grace ?? 0) * 1000 : 0));
      next.metadata.deletionTimestamp = at.toISOString().replace(/\.\d{3}Z$/, "Z");
      next.metadata.deletionGracePeriodSeconds = key === "pods" ? grace : 0;
    } else if (key === "pods" && grace !== undefined && grace < (next.metadata.deletionGracePeriodSeconds ?? Infinity)) {
      next.metadata.deletionGracePeriodSeconds = grace; // a shorter grace (e.g. --force) wins
    }
    if (key === "pods" && grace === 0 && !(next.metadata.finalizers?.length)) {
      b.delete(id);
      next.metadata.resourceVersion = String(++this.rv);
      this.emit("DELETED", key, next);
      return { object: structuredClone(next), gone: true };
    }
    next.metadata.resourceVersion = String(++this.rv);
    b.set(id, next);
    this.emit("MODIFIED", key, next);
    return { object: structuredClone(next), gone: false };
  }

  /** Removes an object unconditionally (the kubelet confirming a pod is gone, a finalized namespace). */
  purge(key: string, namespace: string | undefined, name: string): void {
    const b = this.bucket(key);
    const id = this.id(namespace, name);
    const cur = b.get(id);
    if (!cur) return;
    b.delete(id);
    const last = structuredClone(cur);
    last.metadata.resourceVersion = String(++this.rv);
    this.emit("DELETED", key, last);
  }

  /**
   * Subscribes to changes. With sinceRv, replays history after it first; throws 410 Expired when
   * that point is older than the history kept, as the real watch cache does.
   */
  watch(key: string | null, opts: WatchOptions, fn: Listener): () => void {
    const accept = (e: StoreEvent) =>
      (!opts.namespace || e.object.metadata.namespace === opts.namespace) &&
      (!opts.labelSelector?.length || matchesLabels(opts.labelSelector, e.object.metadata.labels)) &&
      (!opts.fieldSelector?.length || matchesFields(opts.fieldSelector, e.object));
    if (opts.sinceRv !== undefined && opts.sinceRv < this.rv) {
      const oldest = this.history[0]?.rv ?? this.rv + 1;
      if (opts.sinceRv < oldest - 1) {
        throw gone(`too old resource version: ${opts.sinceRv} (${oldest - 1})`);
      }
      for (const e of this.history) {
        if (e.rv > opts.sinceRv && (key === null || e.key === key) && accept(e)) fn({ ...e, object: structuredClone(e.object) });
      }
    }
    const l = { key, fn: (e: StoreEvent) => accept(e) && fn(e) };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
