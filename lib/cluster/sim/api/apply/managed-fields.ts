import type { KubeObject } from "../../store/types";
import { patchMetaFor, type Schema } from "../patch-meta";

/**
 * Field ownership as the apiserver's fieldmanager keeps it in `metadata.managedFields`
 * (structured-merge-diff's field sets, serialized as FieldsV1): who set which field, by Apply or
 * by Update, and the apply merge that follows from it. Lists merge by the keys the strategic
 * merge metadata names (containers by name, …); other lists are atomic.
 */

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => v !== null && typeof v === "object" && !Array.isArray(v);

/** One step of a field path: a field, a keyed list item, a set member. */
export type PathElement = { f: string } | { k: J } | { v: unknown };
export type FieldPath = PathElement[];

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time?: string;
  fieldsType?: "FieldsV1";
  fieldsV1?: J;
  subresource?: string;
}

export interface Manager {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  subresource?: string;
}

/** Fields the server owns: never in a field set. */
const SERVER_META = new Set(["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink", "generateName"]);

const key = (p: FieldPath) => JSON.stringify(p);

/** The leaf paths (and keyed-item marks) an object sets, as structured-merge-diff's SetFromValue with the kind's list types. */
export function fieldPaths(obj: KubeObject | J, kind: string): Map<string, FieldPath> {
  const out = new Map<string, FieldPath>();
  const add = (p: FieldPath) => out.set(key(p), p);
  const walk = (v: unknown, schema: Schema | undefined, at: FieldPath) => {
    if (isObj(v)) {
      const entries = Object.entries(v);
      if (!entries.length) return add(at);
      for (const [k, val] of entries) {
        if (val === undefined) continue;
        const meta = schema?.[k];
        const p: FieldPath = [...at, { f: k }];
        if (Array.isArray(val)) {
          if (meta?.mergeKey) {
            for (const item of val) {
              if (!isObj(item) || item[meta.mergeKey] === undefined) continue;
              const ip: FieldPath = [...p, { k: { [meta.mergeKey]: item[meta.mergeKey] } }];
              add(ip);
              walk(item, meta.fields, ip);
            }
            if (!val.length) add(p);
          } else if (meta?.primitiveMerge) {
            for (const item of val) add([...p, { v: item }]);
            if (!val.length) add(p);
          } else add(p);
        } else if (isObj(val) && Object.keys(val).length) walk(val, meta?.fields ?? meta?.mapValues, p);
        else add(p);
      }
    } else add(at);
  };
  const schema = patchMetaFor(kind);
  const top = obj as J;
  for (const [k, v] of Object.entries(top)) {
    if (k === "apiVersion" || k === "kind" || k === "status" || v === undefined) continue;
    if (k === "metadata" && isObj(v)) {
      const meta = Object.fromEntries(Object.entries(v).filter(([mk]) => !SERVER_META.has(mk)));
      if (Object.keys(meta).length) walk({ metadata: meta }, schema, []);
      continue;
    }
    walk({ [k]: v }, schema, []);
  }
  return out;
}

/** The value a path names in an object (undefined when absent); a keyed item mark yields the item. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let cur: unknown = obj;
  for (const el of path) {
    if ("f" in el) cur = isObj(cur) ? cur[el.f] : undefined;
    else if ("k" in el) {
      const [[k, want]] = Object.entries(el.k) as [[string, unknown]];
      cur = Array.isArray(cur) ? cur.find((i) => isObj(i) && JSON.stringify(i[k]) === JSON.stringify(want)) : undefined;
    } else cur = Array.isArray(cur) && cur.some((i) => JSON.stringify(i) === JSON.stringify(el.v)) ? el.v : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Whether a path sets a different value in `b` than in `a` (a keyed item mark only asks whether the item exists). */
function differs(a: unknown, b: unknown, path: FieldPath): boolean {
  const last = path.at(-1);
  const va = valueAt(a, path);
  const vb = valueAt(b, path);
  if (last && "k" in last) return (va === undefined) !== (vb === undefined);
  return JSON.stringify(va) !== JSON.stringify(vb);
}

/** fieldpath.Path.String(): `.spec.replicas`, `.spec.template.spec.containers[name="web"].image`. */
export function pathText(path: FieldPath): string {
  return path
    .map((el) => {
      if ("f" in el) return `.${el.f}`;
      if ("k" in el) return `[${Object.entries(el.k).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}]`;
      return `[=${JSON.stringify(el.v)}]`;
    })
    .join("");
}

/** Serializes paths as FieldsV1 (`f:spec`, `k:{"name":"web"}`, `v:"x"`, `.` for an item itself). */
export function toFieldsV1(paths: Iterable<FieldPath>): J {
  const root: J = {};
  for (const p of paths) {
    let node = root;
    for (const el of p) {
      const k = "f" in el ? `f:${el.f}` : "k" in el ? `k:${JSON.stringify(el.k)}` : `v:${JSON.stringify(el.v)}`;
      node = (node[k] ??= {}) as J;
    }
    if ("k" in (p.at(-1) ?? {})) node["."] = {};
  }
  return root;
}

/** Parses FieldsV1 back into paths (leaves and keyed-item marks). */
export function fromFieldsV1(tree: unknown): Map<string, FieldPath> {
  const out = new Map<string, FieldPath>();
  const walk = (node: unknown, at: FieldPath) => {
    if (!isObj(node)) return;
    const entries = Object.entries(node);
    if (!entries.length && at.length) out.set(key(at), at);
    for (const [k, v] of entries) {
      if (k === ".") {
        out.set(key(at), at);
        continue;
      }
      let el: PathElement | null = null;
      try {
        if (k.startsWith("f:")) el = { f: k.slice(2) };
        else if (k.startsWith("k:")) el = { k: JSON.parse(k.slice(2)) as J };
        else if (k.startsWith("v:")) el = { v: JSON.parse(k.slice(2)) };
      } catch {
        el = null;
      }
      if (el) walk(v, [...at, el]);
    }
  };
  walk(tree, []);
  return out;
}

interface Owned {
  entry: ManagedFieldsEntry;
  paths: Map<string, FieldPath>;
}

function readEntries(obj: KubeObject | undefined): Owned[] {
  const list = Array.isArray(obj?.metadata.managedFields) ? (obj.metadata.managedFields as ManagedFieldsEntry[]) : [];
  return list.filter(isObj).map((e) => ({ entry: { ...e }, paths: fromFieldsV1(e.fieldsV1) }));
}

const sameManager = (e: ManagedFieldsEntry, m: Manager) =>
  e.manager === m.manager && e.operation === m.operation && (m.operation === "Apply" || e.apiVersion === m.apiVersion) && (e.subresource ?? "") === (m.subresource ?? "");

function writeEntries(owned: Owned[]): ManagedFieldsEntry[] {
  return owned
    .filter((o) => o.paths.size)
    .map((o) => ({ ...o.entry, fieldsType: "FieldsV1" as const, fieldsV1: toFieldsV1(o.paths.values()) }));
}

/**
 * managedFields after an Update-operation write (create, update, patch): the fields it set or
 * changed become the manager's and leave everyone else; removed fields leave everyone. A write
 * that changes nothing keeps the entries as they were.
 */
export function managedFieldsAfterUpdate(cur: KubeObject | undefined, next: KubeObject, m: Manager, now: string): ManagedFieldsEntry[] | undefined {
  const before = cur ? fieldPaths(cur, cur.kind) : new Map<string, FieldPath>();
  const after = fieldPaths(next, next.kind);
  const changed = [...after].filter(([k, p]) => !before.has(k) || differs(cur, next, p));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  const owned = readEntries(cur);
  if (!changed.length && !removed.length) return cur?.metadata.managedFields as ManagedFieldsEntry[] | undefined;
  for (const o of owned) {
    for (const [k] of changed) o.paths.delete(k);
    for (const k of removed) o.paths.delete(k);
  }
  let mine = owned.find((o) => sameManager(o.entry, m));
  if (!mine) owned.push((mine = { entry: { manager: m.manager, operation: "Update", apiVersion: m.apiVersion, ...(m.subresource ? { subresource: m.subresource } : {}) }, paths: new Map() }));
  for (const [k, p] of changed) mine.paths.set(k, p);
  mine.entry.time = now;
  return writeEntries(owned);
}

export interface ApplyConflict {
  entry: ManagedFieldsEntry;
  path: FieldPath;
}

/** How the apiserver names a manager in a conflict (printManager). */
function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === "Update") s += ` using ${e.apiVersion}`;
  return s;
}

/** getConflictMessage of the apiserver's fieldmanager. */
export function conflictMessage(conflicts: ApplyConflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0]!.entry)}: ${pathText(conflicts[0]!.path)}`;
  const by = new Map<string, string[]>();
  for (const c of conflicts) {
    const who = printManager(c.entry);
    by.set(who, [...(by.get(who) ?? []), pathText(c.path)]);
  }
  const lines: string[] = [];
  for (const who of [...by.keys()].sort()) {
    lines.push(`conflicts with ${who}:`);
    for (const p of by.get(who)!) lines.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
}

export interface ApplyResult {
  /** The object after the merge (before defaulting and validation). */
  object: KubeObject;
  managedFields: ManagedFieldsEntry[];
  conflicts: ApplyConflict[];
}

function deleteAt(obj: unknown, path: FieldPath): void {
  const parent = valueAt(obj, path.slice(0, -1));
  const last = path.at(-1);
  if (!last) return;
  if ("f" in last && isObj(parent)) delete parent[last.f];
  else if ("k" in last && Array.isArray(parent)) {
    const [[k, want]] = Object.entries(last.k) as [[string, unknown]];
    const i = parent.findIndex((x) => isObj(x) && JSON.stringify(x[k]) === JSON.stringify(want));
    if (i >= 0) parent.splice(i, 1);
  } else if ("v" in last && Array.isArray(parent)) {
    const i = parent.findIndex((x) => JSON.stringify(x) === JSON.stringify(last.v));
    if (i >= 0) parent.splice(i, 1);
  }
}

function mergeInto(target: J, src: J, schema: Schema | undefined): void {
  for (const [k, v] of Object.entries(src)) {
    const meta = schema?.[k];
    const cur = target[k];
    if (isObj(v) && isObj(cur)) mergeInto(cur, v, meta?.fields ?? meta?.mapValues);
    else if (Array.isArray(v) && Array.isArray(cur) && meta?.mergeKey) {
      const mk = meta.mergeKey;
      for (const item of v) {
        const hit = isObj(item) ? cur.find((x) => isObj(x) && JSON.stringify(x[mk]) === JSON.stringify(item[mk])) : undefined;
        if (isObj(hit) && isObj(item)) mergeInto(hit, item, meta.fields);
        else cur.push(structuredClone(item));
      }
    } else if (Array.isArray(v) && Array.isArray(cur) && meta?.primitiveMerge) {
      for (const item of v) if (!cur.some((x) => JSON.stringify(x) === JSON.stringify(item))) cur.push(item);
    } else target[k] = structuredClone(v);
  }
}

/**
 * A server-side apply of `config` by `m` onto `cur` (absent: a create): conflicts with other
 * managers' fields whose value would change (unless forced, which takes them over), fields the
 * applier owned before and no longer sets are removed unless someone else owns them, then the
 * config merges in and becomes the applier's field set.
 */
export function serverSideApply(cur: KubeObject | undefined, config: KubeObject, m: Manager, force: boolean, now: string): ApplyResult {
  const kind = config.kind;
  const configPaths = fieldPaths(config, kind);
  const owned = readEntries(cur);
  const conflicts: ApplyConflict[] = [];
  for (const o of owned) {
    if (sameManager(o.entry, m)) continue;
    for (const [k, p] of configPaths) {
      if (o.paths.has(k) && differs(cur, config, p)) conflicts.push({ entry: o.entry, path: p });
    }
  }
  const merged: KubeObject = cur ? structuredClone(cur) : { apiVersion: config.apiVersion, kind, metadata: { name: config.metadata.name, ...(config.metadata.namespace ? { namespace: config.metadata.namespace } : {}) } };
  let mine = owned.find((o) => sameManager(o.entry, m));
  if (mine) {
    const others = owned.filter((o) => o !== mine);
    // Deepest first, so an item's fields go before the item.
    const gone = [...mine.paths].filter(([k]) => !configPaths.has(k) && !others.some((o) => o.paths.has(k))).sort((a, b) => b[1].length - a[1].length);
    for (const [, p] of gone) deleteAt(merged, p);
  }
  const { metadata: cfgMeta, apiVersion: _a, kind: _k, status: _s, ...rest } = config;
  mergeInto(merged as J, structuredClone(rest), patchMetaFor(kind));
  const metaFields = Object.fromEntries(Object.entries(cfgMeta ?? {}).filter(([mk]) => !SERVER_META.has(mk)));
  mergeInto(merged.metadata as J, structuredClone(metaFields), patchMetaFor(kind).metadata?.fields);
  if (force) for (const c of conflicts) for (const o of owned) if (o.entry === c.entry) o.paths.delete(key(c.path));
  if (!mine) owned.push((mine = { entry: { manager: m.manager, operation: "Apply", apiVersion: m.apiVersion }, paths: new Map() }));
  mine.paths = new Map(configPaths);
  mine.entry.apiVersion = m.apiVersion;
  mine.entry.time = now;
  return { object: merged, managedFields: writeEntries(owned), conflicts: force ? [] : conflicts };
}
