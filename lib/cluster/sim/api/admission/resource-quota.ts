import type { ObjectStore } from "../../store/object-store";
import type { KubeObject } from "../../store/types";
import { addQuantities, compareQuantities, formatQuantity, zeroQuantity } from "../quantity";
import { hardOf, keyForResourceName, namespaceUsage, objectUsage, quotaMatches } from "./quota-usage";
import { admissionForbidden, podContainers, resourceList, o, type ResourceList } from "./resource-lists";

/**
 * The ResourceQuota admission plugin (plugin/pkg/admission/resourcequota) on create: a pod must
 * state requests/limits for the cpu and memory names a quota constrains ("failed quota: q: must
 * specify limits.cpu for: app"), and no create may take a quota's usage past `hard`
 * ("exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2"). Usage is counted
 * from the store at the moment of the create, which is what the real plugin's status.used holds
 * once the quota controller has caught up.
 */

/** The cpu/memory names every container must set when a pod quota tracks them (validationSet). */
const VALIDATION_SET = ["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"];

/** podEvaluator.Constraints: which containers miss a required compute name. */
function podConstraints(pod: KubeObject, hardNames: string[]): string | undefined {
  const required = hardNames.filter((n) => VALIDATION_SET.includes(n));
  if (!required.length) return undefined;
  const missing = new Map<string, Set<string>>();
  const { containers, initContainers } = podContainers(pod);
  for (const c of [...containers, ...initContainers]) {
    const r = o(c.resources);
    const req = resourceList(r.requests);
    const lim = resourceList(r.limits);
    const has = new Set<string>();
    for (const k of ["cpu", "memory"]) {
      if (req.has(k)) has.add(k).add(`requests.${k}`);
      if (lim.has(k)) has.add(`limits.${k}`);
    }
    for (const n of required) {
      if (has.has(n)) continue;
      const set = missing.get(n) ?? new Set<string>();
      set.add(String(c.name ?? ""));
      missing.set(n, set);
    }
  }
  if (!missing.size) return undefined;
  const parts = [...missing.keys()].sort().map((n) => `${n} for: ${[...missing.get(n)!].sort().join(",")}`);
  return `must specify ${parts.join("; ")}`;
}

/** prettyPrint: "pods=1,requests.cpu=500m", sorted by name. */
function prettyPrint(m: ResourceList, names: string[]): string {
  return [...names].sort().map((n) => `${n}=${formatQuantity(m.get(n) ?? zeroQuantity())}`).join(",");
}

/** "deployments.apps" → { group: "apps", resource: "deployments" }. */
function rtOf(key: string): { group: string; resource: string } {
  const dot = key.indexOf(".");
  return dot < 0 ? { group: "", resource: key } : { group: key.slice(dot + 1), resource: key.slice(0, dot) };
}

/** Throws the plugin's Forbidden Status when creating `obj` (storage key `key`) would break a quota. */
export function checkQuotas(store: ObjectStore, key: string, obj: KubeObject, now: Date): void {
  const ns = obj.metadata.namespace;
  if (!ns) return;
  const quotas = store.list("resourcequotas", { namespace: ns }).items;
  if (!quotas.length) return;
  const name = obj.metadata.name ?? "";
  const interesting: { quota: KubeObject; hard: ResourceList }[] = [];
  for (const quota of quotas) {
    const hard = hardOf(quota);
    if (!quotaMatches(quota, key, obj, hard)) continue;
    if (key === "pods") {
      const why = podConstraints(obj, [...hard.keys()].filter((n) => keyForResourceName(n) === "pods"));
      if (why) throw admissionForbidden(rtOf(key), name, `failed quota: ${quota.metadata.name ?? ""}: ${why}`);
    }
    interesting.push({ quota, hard });
  }
  if (!interesting.length) return;
  const delta = objectUsage(key, obj, now);
  for (const { quota, hard } of interesting) {
    const used = namespaceUsage(store, quota, hard, now);
    const exceeded: string[] = [];
    for (const [n, req] of delta) {
      const limit = hard.get(n);
      if (!limit) continue;
      const next = addQuantities(used.get(n) ?? zeroQuantity(), req);
      if (compareQuantities(next, limit) > 0) exceeded.push(n);
    }
    if (exceeded.length) {
      throw admissionForbidden(
        rtOf(key),
        name,
        `exceeded quota: ${quota.metadata.name ?? ""}, requested: ${prettyPrint(delta, exceeded)}, used: ${prettyPrint(used, exceeded)}, limited: ${prettyPrint(hard, exceeded)}`,
      );
    }
  }
}
