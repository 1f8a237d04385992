import type { ObjectStore } from "../../store/object-store";
import type { KubeObject } from "../../store/types";
import { compareQuantities, formatQuantity, milliValue, type Quantity } from "../quantity";
import { admissionForbidden, aggregate, list, o, podContainers, resourceList, type J, type ResourceList } from "./resource-lists";

/**
 * The LimitRanger admission plugin (plugin/pkg/admission/limitranger): on pod create it fills
 * containers' missing requests and limits from the namespace's LimitRanges (`default`,
 * `defaultRequest`) and annotates what it set; then it enforces `min`, `max` and
 * `maxLimitRequestRatio` per Container and per Pod, and `min`/`max` storage per
 * PersistentVolumeClaim, with the plugin's own messages.
 */

const PODS = { group: "", resource: "pods" };
const PVCS = { group: "", resource: "persistentvolumeclaims" };

function limitRangesIn(store: ObjectStore, ns: string | undefined): KubeObject[] {
  return ns ? store.list("limitranges", { namespace: ns }).items : [];
}

function items(lr: KubeObject): J[] {
  return list(o(lr.spec).limits);
}

/** SetDefaults_LimitRangeItem: for Container items, default ← max, defaultRequest ← default, then ← min. */
export function defaultLimitRange(lr: KubeObject): void {
  for (const item of items(lr)) {
    if (item.type !== "Container") continue;
    const def = { ...o(item.default) };
    const defReq = { ...o(item.defaultRequest) };
    for (const [k, v] of Object.entries(o(item.max))) if (def[k] === undefined) def[k] = v;
    for (const [k, v] of Object.entries(def)) if (defReq[k] === undefined) defReq[k] = v;
    for (const [k, v] of Object.entries(o(item.min))) if (defReq[k] === undefined) defReq[k] = v;
    if (Object.keys(def).length) item.default = def;
    if (Object.keys(defReq).length) item.defaultRequest = defReq;
  }
}

function setMissing(target: J, field: "limits" | "requests", defaults: Record<string, unknown>): string[] {
  const res = o((target.resources ??= {}));
  const cur = { ...o(res[field]) };
  const set: string[] = [];
  for (const [k, v] of Object.entries(defaults)) {
    if (cur[k] === undefined) {
      cur[k] = v;
      set.push(k);
    }
  }
  if (set.length) res[field] = cur;
  return set.sort();
}

/** PodMutateLimitFunc over every LimitRange of the namespace, with the `kubernetes.io/limit-ranger` annotation. */
export function mutatePodLimits(store: ObjectStore, pod: KubeObject): void {
  const ranges = limitRangesIn(store, pod.metadata.namespace);
  if (!ranges.length) return;
  const { containers, initContainers } = podContainers(pod);
  const notes: string[] = [];
  for (const lr of ranges) {
    const limits: Record<string, unknown> = {};
    const requests: Record<string, unknown> = {};
    for (const item of items(lr)) {
      if (item.type !== "Container") continue;
      Object.assign(requests, o(item.defaultRequest));
      Object.assign(limits, o(item.default));
    }
    const merge = (c: J, prefix: string) => {
      const setLimits = setMissing(c, "limits", limits);
      const setRequests = setMissing(c, "requests", requests);
      if (setRequests.length) notes.push(`${setRequests.join(", ")} request for ${prefix} ${String(c.name ?? "")}`);
      if (setLimits.length) notes.push(`${setLimits.join(", ")} limit for ${prefix} ${String(c.name ?? "")}`);
    };
    for (const c of containers) merge(c, "container");
    for (const c of initContainers) merge(c, "init container");
  }
  if (notes.length) pod.metadata.annotations = { ...pod.metadata.annotations, "kubernetes.io/limit-ranger": `LimitRanger plugin set: ${notes.join("; ")}` };
}

const str = (q: Quantity) => formatQuantity(q);
const cmpMilli = (a: Quantity, b: Quantity) => {
  const x = milliValue(a);
  const y = milliValue(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

function minConstraint(type: string, name: string, enforced: Quantity, req: ResourceList, lim: ResourceList): string | undefined {
  const r = req.get(name);
  const l = lim.get(name);
  if (!r) return `minimum ${name} usage per ${type} is ${str(enforced)}.  No request is specified`;
  if (cmpMilli(r, enforced) < 0) return `minimum ${name} usage per ${type} is ${str(enforced)}, but request is ${str(r)}`;
  if (l && cmpMilli(l, enforced) < 0) return `minimum ${name} usage per ${type} is ${str(enforced)}, but limit is ${str(l)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: Quantity, req: ResourceList, lim: ResourceList): string | undefined {
  const r = req.get(name);
  const l = lim.get(name);
  if (!l) return `maximum ${name} usage per ${type} is ${str(enforced)}.  No limit is specified`;
  if (cmpMilli(l, enforced) > 0) return `maximum ${name} usage per ${type} is ${str(enforced)}, but limit is ${str(l)}`;
  if (r && cmpMilli(r, enforced) > 0) return `maximum ${name} usage per ${type} is ${str(enforced)}, but request is ${str(r)}`;
  return undefined;
}

function maxRequestConstraint(type: string, name: string, enforced: Quantity, req: ResourceList): string | undefined {
  const r = req.get(name);
  if (!r) return `maximum ${name} usage per ${type} is ${str(enforced)}.  No request is specified`;
  if (cmpMilli(r, enforced) > 0) return `maximum ${name} usage per ${type} is ${str(enforced)}, but request is ${str(r)}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: Quantity, req: ResourceList, lim: ResourceList): string | undefined {
  const r = req.get(name);
  const l = lim.get(name);
  if (!r || r.nanos === 0n) return `${name} max limit to request ratio per ${type} is ${str(enforced)}, but no request is specified or request is 0`;
  if (!l || l.nanos === 0n) return `${name} max limit to request ratio per ${type} is ${str(enforced)}, but no limit is specified or limit is 0`;
  const ratio = Number(milliValue(l)) / Number(milliValue(r));
  if (ratio * 1000 > Number(milliValue(enforced))) return `${name} max limit to request ratio per ${type} is ${str(enforced)}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

const sortedEntries = (m: ResourceList) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Sum over app containers, then the larger of that and each init container (resourcehelper.PodRequests/PodLimits). */
function podTotal(pod: KubeObject, field: "requests" | "limits"): ResourceList {
  const { containers, initContainers } = podContainers(pod);
  const total: ResourceList = new Map();
  for (const c of containers) {
    for (const [k, q] of resourceList(o(c.resources)[field])) {
      const cur = total.get(k);
      total.set(k, cur ? { nanos: cur.nanos + q.nanos, format: cur.nanos === 0n ? q.format : cur.format } : q);
    }
  }
  for (const c of initContainers) {
    for (const [k, q] of resourceList(o(c.resources)[field])) {
      const cur = total.get(k);
      if (!cur || compareQuantities(q, cur) > 0) total.set(k, q);
    }
  }
  return total;
}

function validatePod(lr: KubeObject, pod: KubeObject): string[] {
  const errs: string[] = [];
  const { containers, initContainers } = podContainers(pod);
  for (const item of items(lr)) {
    const check = (req: ResourceList, lim: ResourceList, type: string) => {
      for (const [k, v] of sortedEntries(resourceList(item.min))) {
        const e = minConstraint(type, k, v, req, lim);
        if (e) errs.push(e);
      }
      for (const [k, v] of sortedEntries(resourceList(item.max))) {
        const e = maxConstraint(type, k, v, req, lim);
        if (e) errs.push(e);
      }
      for (const [k, v] of sortedEntries(resourceList(item.maxLimitRequestRatio))) {
        const e = ratioConstraint(type, k, v, req, lim);
        if (e) errs.push(e);
      }
    };
    if (item.type === "Container") {
      for (const c of [...containers, ...initContainers]) {
        const res = o(c.resources);
        check(resourceList(res.requests), resourceList(res.limits), "Container");
      }
    }
    if (item.type === "Pod") check(podTotal(pod, "requests"), podTotal(pod, "limits"), "Pod");
  }
  return errs;
}

function validatePvc(lr: KubeObject, pvc: KubeObject): string[] {
  const errs: string[] = [];
  const requests = resourceList(o(o(o(pvc.spec).resources).requests));
  for (const item of items(lr)) {
    if (item.type !== "PersistentVolumeClaim") continue;
    for (const [k, v] of sortedEntries(resourceList(item.min))) {
      const e = minConstraint("PersistentVolumeClaim", k, v, requests, new Map());
      if (e) errs.push(e);
    }
    for (const [k, v] of sortedEntries(resourceList(item.max))) {
      const e = maxRequestConstraint("PersistentVolumeClaim", k, v, requests);
      if (e) errs.push(e);
    }
  }
  return errs;
}

/** LimitRanger's validation on create of a pod or PVC; throws the Forbidden Status of the first LimitRange violated. */
export function validateLimits(store: ObjectStore, key: string, obj: KubeObject): void {
  if (key !== "pods" && key !== "persistentvolumeclaims") return;
  for (const lr of limitRangesIn(store, obj.metadata.namespace)) {
    const errs = key === "pods" ? validatePod(lr, obj) : validatePvc(lr, obj);
    if (errs.length) throw admissionForbidden(key === "pods" ? PODS : PVCS, obj.metadata.name ?? "", aggregate(errs));
  }
}
