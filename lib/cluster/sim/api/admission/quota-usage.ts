import type { ObjectStore } from "../../store/object-store";
import type { KubeObject } from "../../store/types";
import { addQuantities, compareQuantities, countQuantity, zeroQuantity, type Quantity } from "../quantity";
import { list, o, podContainers, resourceList, type ResourceList } from "./resource-lists";

/**
 * What ResourceQuota counts (pkg/quota/v1/evaluator/core): the usage of one object, the
 * scopes a quota applies to, and a namespace's total for a quota's `hard` names, which both the
 * admission plugin and the resourcequota controller (status.used) compute.
 */

const STORAGE_CLASS_SUFFIX = ".storageclass.storage.k8s.io/";

/** The storage key whose objects a quota resource name counts ("count/deployments.apps" → "deployments.apps"). */
export function keyForResourceName(name: string): string | undefined {
  if (name.startsWith("count/")) return name.slice("count/".length);
  if (name.includes(STORAGE_CLASS_SUFFIX)) return "persistentvolumeclaims";
  if (["pods", "cpu", "memory", "ephemeral-storage"].includes(name) || name.startsWith("requests.") || name.startsWith("limits.")) {
    return name === "requests.storage" ? "persistentvolumeclaims" : "pods";
  }
  if (name === "services" || name === "services.nodeports" || name === "services.loadbalancers") return "services";
  if (["configmaps", "secrets", "persistentvolumeclaims", "resourcequotas", "replicationcontrollers"].includes(name)) return name;
  return undefined;
}

function add(m: ResourceList, name: string, q: Quantity): void {
  const cur = m.get(name);
  m.set(name, cur ? addQuantities(cur, q) : q);
}

function sumContainers(cs: Record<string, unknown>[], field: "requests" | "limits"): ResourceList {
  const total: ResourceList = new Map();
  for (const c of cs) for (const [k, q] of resourceList(o(o(c.resources)[field]))) add(total, k, q);
  return total;
}

/** resourcehelper.PodRequests / PodLimits: app containers summed, each init container as a floor. */
function podResources(pod: KubeObject, field: "requests" | "limits"): ResourceList {
  const { containers, initContainers } = podContainers(pod);
  const total = sumContainers(containers, field);
  for (const c of initContainers) {
    for (const [k, q] of resourceList(o(o(c.resources)[field]))) {
      const cur = total.get(k);
      if (!cur || compareQuantities(q, cur) > 0) total.set(k, q);
    }
  }
  return total;
}

/** podComputeUsageHelper: the compute names a set of requests and limits fills. */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = new Map([["pods", countQuantity(1)]]);
  for (const r of ["cpu", "memory", "ephemeral-storage"]) {
    const req = requests.get(r);
    if (req) {
      out.set(r, req);
      out.set(`requests.${r}`, req);
    }
    const lim = limits.get(r);
    if (lim) out.set(`limits.${r}`, lim);
  }
  for (const [r, q] of requests) if (r.startsWith("hugepages-")) out.set(`requests.${r}`, q);
  return out;
}

/** QuotaV1Pod: finished pods, and pods past their deletion grace, no longer use compute quota. */
function podCountsForCompute(pod: KubeObject, now: Date): boolean {
  const phase = o(pod.status).phase;
  if (phase === "Succeeded" || phase === "Failed") return false;
  const ts = pod.metadata.deletionTimestamp;
  const grace = pod.metadata.deletionGracePeriodSeconds;
  if (ts && grace !== undefined && now.getTime() > Date.parse(ts) + grace * 1000) return false;
  return true;
}

function podUsage(pod: KubeObject, now: Date): ResourceList {
  const out: ResourceList = new Map([["count/pods", countQuantity(1)]]);
  if (!podCountsForCompute(pod, now)) return out;
  for (const [k, q] of computeUsage(podResources(pod, "requests"), podResources(pod, "limits"))) out.set(k, q);
  return out;
}

function serviceUsage(svc: KubeObject): ResourceList {
  const spec = o(svc.spec);
  const out: ResourceList = new Map([
    ["count/services", countQuantity(1)],
    ["services", countQuantity(1)],
  ]);
  const ports = list(spec.ports);
  if (spec.type === "NodePort") out.set("services.nodeports", countQuantity(ports.length));
  if (spec.type === "LoadBalancer") {
    const n = spec.allocateLoadBalancerNodePorts === false ? ports.filter((p) => p.nodePort).length : ports.length;
    out.set("services.nodeports", countQuantity(n));
    out.set("services.loadbalancers", countQuantity(1));
  }
  return out;
}

function pvcUsage(pvc: KubeObject): ResourceList {
  const spec = o(pvc.spec);
  const out: ResourceList = new Map([
    ["count/persistentvolumeclaims", countQuantity(1)],
    ["persistentvolumeclaims", countQuantity(1)],
  ]);
  const cls = typeof spec.storageClassName === "string" ? spec.storageClassName : (pvc.metadata.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? "");
  if (cls) out.set(`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, countQuantity(1));
  let storage = resourceList(o(o(spec.resources).requests)).get("storage");
  const allocated = resourceList(o(o(pvc.status).allocatedResources)).get("storage");
  if (allocated && (!storage || compareQuantities(allocated, storage) > 0)) storage = allocated;
  if (storage) {
    out.set("requests.storage", storage);
    if (cls) out.set(`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`, storage);
  }
  return out;
}

/** The usage of one object of storage key `key` (every object counts as `count/<resource>`). */
export function objectUsage(key: string, obj: KubeObject, now: Date): ResourceList {
  switch (key) {
    case "pods":
      return podUsage(obj, now);
    case "services":
      return serviceUsage(obj);
    case "persistentvolumeclaims":
      return pvcUsage(obj);
    case "configmaps":
    case "secrets":
    case "resourcequotas":
    case "replicationcontrollers":
      return new Map([
        [`count/${key}`, countQuantity(1)],
        [key, countQuantity(1)],
      ]);
  }
  return new Map([[`count/${key}`, countQuantity(1)]]);
}

function podQosBestEffort(pod: KubeObject): boolean {
  const { containers, initContainers } = podContainers(pod);
  return [...containers, ...initContainers].every((c) => {
    const r = o(c.resources);
    return ["cpu", "memory"].every((k) => o(r.requests)[k] === undefined && o(r.limits)[k] === undefined);
  });
}

interface ScopeSelector {
  scopeName: string;
  operator: string;
  values: string[];
}

/** spec.scopes and spec.scopeSelector as one list (getScopeSelectorsFromQuota). */
function quotaScopes(quota: KubeObject): ScopeSelector[] {
  const spec = o(quota.spec);
  const out: ScopeSelector[] = (Array.isArray(spec.scopes) ? (spec.scopes as unknown[]) : []).map((s) => ({ scopeName: String(s), operator: "Exists", values: [] }));
  for (const e of list(o(spec.scopeSelector).matchExpressions)) {
    out.push({ scopeName: String(e.scopeName ?? ""), operator: String(e.operator ?? ""), values: Array.isArray(e.values) ? (e.values as unknown[]).map(String) : [] });
  }
  return out;
}

function podMatchesScope(s: ScopeSelector, pod: KubeObject): boolean {
  const spec = o(pod.spec);
  const terminating = typeof spec.activeDeadlineSeconds === "number" && spec.activeDeadlineSeconds >= 0;
  switch (s.scopeName) {
    case "Terminating":
      return terminating;
    case "NotTerminating":
      return !terminating;
    case "BestEffort":
      return podQosBestEffort(pod);
    case "NotBestEffort":
      return !podQosBestEffort(pod);
    case "PriorityClass": {
      const pc = typeof spec.priorityClassName === "string" ? spec.priorityClassName : "";
      if (s.operator === "Exists") return pc !== "";
      if (s.operator === "DoesNotExist") return pc === "";
      if (s.operator === "In") return s.values.includes(pc);
      if (s.operator === "NotIn") return !s.values.includes(pc);
      return false;
    }
    case "CrossNamespacePodAffinity":
      return false;
  }
  return false;
}

/** The quota's `hard` names, from status (what the controller last observed) as the plugin reads them. */
export function hardOf(quota: KubeObject, fromSpec = false): ResourceList {
  return resourceList(o(fromSpec ? quota.spec : quota.status).hard);
}

/** generic.Matches: the quota tracks a name this kind fills, and every scope matches. */
export function quotaMatches(quota: KubeObject, key: string, obj: KubeObject, hard: ResourceList): boolean {
  const names = [...hard.keys()].filter((n) => keyForResourceName(n) === key);
  if (!names.length) return false;
  return quotaScopes(quota).every((s) => key === "pods" && podMatchesScope(s, obj));
}

/** The usage the quota's hard names see in a namespace (the controller's status.used). */
export function namespaceUsage(store: ObjectStore, quota: KubeObject, hard: ResourceList, now: Date): ResourceList {
  const used: ResourceList = new Map();
  for (const name of hard.keys()) used.set(name, zeroQuantity());
  const keys = new Set([...hard.keys()].map(keyForResourceName).filter((k): k is string => Boolean(k)));
  const ns = quota.metadata.namespace;
  for (const key of keys) {
    let items: KubeObject[];
    try {
      items = store.list(key, { namespace: ns }).items;
    } catch {
      continue; // a count/ name for a kind the cluster does not serve counts nothing
    }
    for (const obj of items) {
      if (!quotaMatches(quota, key, obj, hard)) continue;
      for (const [k, q] of objectUsage(key, obj, now)) if (hard.has(k)) add(used, k, q);
    }
  }
  return used;
}
