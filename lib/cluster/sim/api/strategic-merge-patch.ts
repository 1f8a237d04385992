import { badRequest } from "../store/status-error";
import type { FieldMeta, Schema } from "./patch-meta";

/**
 * Applies a strategic merge patch (application/strategic-merge-patch+json) the way the apiserver's
 * apimachinery/strategicpatch does for the cases kubectl produces: maps merge, `null` deletes,
 * lists with a patch merge key merge item by item, primitive "merge" lists are unions, other lists
 * are replaced, and the directives `$patch: replace|delete|merge`, `$retainKeys`,
 * `$deleteFromPrimitiveList/<f>` and `$setElementOrder/<f>` are honoured.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const DELETE = Symbol("delete");

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.filter((x) => !(isObject(x) && x.$patch === "delete")).map(stripDirectives);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === "$patch" || k === "$retainKeys" || k.startsWith("$setElementOrder/") || k.startsWith("$deleteFromPrimitiveList/")) continue;
    if (x === null) continue;
    out[k] = stripDirectives(x);
  }
  return out;
}

function mergeMap(original: JsonObject, patch: JsonObject, schema: Schema): JsonObject | typeof DELETE {
  const directive = patch.$patch;
  if (directive === "delete") return DELETE;
  if (directive === "replace") return stripDirectives(patch) as JsonObject;
  if (directive !== undefined && directive !== "merge") throw badRequest(`unknown patch type: ${String(directive)}`);
  const out: JsonObject = { ...original };
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys.map(String));
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  const orders: [string, Json[]][] = [];
  for (const [k, v] of Object.entries(patch)) {
    if (k === "$patch" || k === "$retainKeys") continue;
    if (k.startsWith("$setElementOrder/")) {
      if (Array.isArray(v)) orders.push([k.slice("$setElementOrder/".length), v]);
      continue;
    }
    if (k.startsWith("$deleteFromPrimitiveList/")) {
      const field = k.slice("$deleteFromPrimitiveList/".length);
      const cur = out[field];
      if (Array.isArray(cur) && Array.isArray(v)) {
        const drop = new Set(v.map((x) => JSON.stringify(x)));
        out[field] = cur.filter((x) => !drop.has(JSON.stringify(x)));
      }
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const meta: FieldMeta = schema[k] ?? {};
    const cur = out[k];
    if (isObject(v)) {
      if (meta.mapValues && isObject(cur)) {
        const merged: JsonObject = { ...cur };
        for (const [mk, mv] of Object.entries(v)) {
          if (mv === null) delete merged[mk];
          else if (isObject(mv) && isObject(merged[mk])) {
            const r = mergeMap(merged[mk] as JsonObject, mv, meta.mapValues);
            if (r === DELETE) delete merged[mk];
            else merged[mk] = r;
          } else merged[mk] = stripDirectives(mv);
        }
        out[k] = merged;
        continue;
      }
      const r = mergeMap(isObject(cur) ? cur : {}, v, meta.fields ?? {});
      if (r === DELETE) delete out[k];
      else out[k] = r;
      continue;
    }
    if (Array.isArray(v)) {
      out[k] = mergeList(Array.isArray(cur) ? cur : [], v, meta);
      continue;
    }
    out[k] = v;
  }
  for (const [field, order] of orders) {
    const list = out[field];
    if (Array.isArray(list)) out[field] = applyOrder(list, order, schema[field]?.mergeKey);
  }
  return out;
}

function mergeList(original: Json[], patch: Json[], meta: FieldMeta): Json[] {
  // A list-level `{$patch: replace}` item replaces the whole list with the other items.
  if (patch.some((x) => isObject(x) && x.$patch === "replace" && Object.keys(x).length === 1)) {
    return patch.filter((x) => !(isObject(x) && x.$patch === "replace")).map(stripDirectives);
  }
  if (meta.primitiveMerge) {
    const seen = new Set(original.map((x) => JSON.stringify(x)));
    const out = [...original];
    for (const x of patch) {
      if (!seen.has(JSON.stringify(x))) {
        seen.add(JSON.stringify(x));
        out.push(x);
      }
    }
    return out;
  }
  const key = meta.mergeKey;
  if (!key) return patch.map(stripDirectives);
  const out: Json[] = [...original];
  for (const item of patch) {
    if (!isObject(item)) {
      out.push(item);
      continue;
    }
    const id = item[key];
    if (id === undefined) throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    const idx = out.findIndex((x) => isObject(x) && JSON.stringify(x[key]) === JSON.stringify(id));
    if (item.$patch === "delete") {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const r = mergeMap(out[idx] as JsonObject, item, meta.fields ?? {});
      if (r === DELETE) out.splice(idx, 1);
      else out[idx] = r;
    } else out.push(stripDirectives(item));
  }
  return out;
}

function applyOrder(list: Json[], order: Json[], mergeKey: string | undefined): Json[] {
  const keyOf = (x: Json) => JSON.stringify(mergeKey && isObject(x) ? x[mergeKey] : x);
  const orderKeys = order.map((o) => JSON.stringify(mergeKey && isObject(o) ? o[mergeKey] : o));
  const rank = new Map(orderKeys.map((k, i) => [k, i]));
  const inOrder = list.filter((x) => rank.has(keyOf(x))).sort((a, b) => rank.get(keyOf(a))! - rank.get(keyOf(b))!);
  const rest = list.filter((x) => !rank.has(keyOf(x)));
  return [...inOrder, ...rest];
}

/** Applies `patch` to `original` (neither is modified) using the kind's schema. */
export function applyStrategicMergePatch<T extends object>(original: T, patch: unknown, schema: Schema): T {
  if (!isObject(patch)) throw badRequest("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json");
  const r = mergeMap(structuredClone(original) as unknown as JsonObject, patch, schema);
  if (r === DELETE) throw badRequest("a strategic merge patch cannot delete the whole object");
  return r as unknown as T;
}

/** RFC 7386 JSON merge patch (application/merge-patch+json). */
export function applyMergePatch<T extends object>(original: T, patch: unknown): T {
  const merge = (o: Json, p: Json): Json => {
    if (!isObject(p)) return p;
    const out: JsonObject = isObject(o) ? { ...o } : {};
    for (const [k, v] of Object.entries(p)) {
      if (v === null) delete out[k];
      else out[k] = merge(out[k] ?? null, v);
    }
    return out;
  };
  if (!isObject(patch)) throw badRequest("json: cannot unmarshal into Go value of type map[string]interface {}");
  return merge(structuredClone(original) as unknown as Json, patch as JsonObject) as unknown as T;
}
