import type { ResourceType } from "../../store/resource-types";
import { badRequest, type StatusCause } from "../../store/status-error";
import type { KubeObject } from "../../store/types";
import { canonicalQuantity, compareQuantities, formatQuantity, goQuantityRepr, parseQuantity, QuantityError, type Quantity } from "../quantity";
import { list, o, type J } from "./resource-lists";

/**
 * Validation (pkg/apis/core/validation) of what LimitRange and ResourceQuota objects, and the
 * resources of containers (in pods and workload templates), most often get wrong: malformed quantities (a decode error, 400),
 * unknown quota resource names, negative or fractional counts, min > max, requests > limits.
 * Also the apiserver's canonical serialisation of those quantities ("1024Mi" is stored as "1Gi").
 */

/** Resource lists of the objects this file knows, as paths into the object. */
function resourceMaps(key: string, obj: KubeObject): { path: string; map: J }[] {
  const spec = o(obj.spec);
  const out: { path: string; map: J }[] = [];
  if (key === "resourcequotas") out.push({ path: "spec.hard", map: o(spec.hard) });
  if (key === "limitranges") {
    list(spec.limits).forEach((item, i) => {
      for (const f of ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"]) out.push({ path: `spec.limits[${i}].${f}`, map: o(item[f]) });
    });
  }
  if (key === "persistentvolumeclaims") out.push({ path: "spec.resources.requests", map: o(o(spec.resources).requests) });
  const pod = podSpecOf(key, obj);
  if (pod) {
    for (const f of ["containers", "initContainers"]) {
      list(pod.spec[f]).forEach((c, i) => {
        const r = o(c.resources);
        out.push({ path: `${pod.path}.${f}[${i}].resources.requests`, map: o(r.requests) }, { path: `${pod.path}.${f}[${i}].resources.limits`, map: o(r.limits) });
      });
    }
  }
  return out;
}

const WORKLOADS = new Set(["deployments.apps", "replicasets.apps", "daemonsets.apps", "statefulsets.apps", "jobs.batch"]);

/** The pod spec of a pod or of a workload's template, with its field path. */
function podSpecOf(key: string, obj: KubeObject): { spec: J; path: string } | undefined {
  if (key === "pods") return { spec: o(obj.spec), path: "spec" };
  if (WORKLOADS.has(key)) return { spec: o(o(o(obj.spec).template).spec), path: "spec.template.spec" };
  return undefined;
}

/** Decoding: a quantity that does not parse fails the whole request, as json.Unmarshal does. */
export function checkQuantities(rt: ResourceType, key: string, obj: KubeObject): void {
  for (const { map } of resourceMaps(key, obj)) {
    for (const v of Object.values(map)) {
      if (typeof v !== "string" && typeof v !== "number") continue;
      try {
        parseQuantity(v);
      } catch (err) {
        if (err instanceof QuantityError) throw badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: ${err.message}`);
        throw err;
      }
    }
  }
}

/** Quantities as the apiserver serialises them (canonical form); the map is rewritten in place. */
export function canonicalizeQuantities(key: string, obj: KubeObject): void {
  if (key !== "resourcequotas" && key !== "limitranges") return;
  for (const { map } of resourceMaps(key, obj)) for (const [k, v] of Object.entries(map)) if (typeof v === "string" || typeof v === "number") map[k] = canonicalQuantity(v);
}

const STANDARD_QUOTA = new Set([
  "cpu",
  "memory",
  "ephemeral-storage",
  "requests.cpu",
  "requests.memory",
  "requests.storage",
  "requests.ephemeral-storage",
  "limits.cpu",
  "limits.memory",
  "limits.ephemeral-storage",
  "pods",
  "resourcequotas",
  "services",
  "replicationcontrollers",
  "secrets",
  "persistentvolumeclaims",
  "configmaps",
  "services.nodeports",
  "services.loadbalancers",
]);
/** helper.IsStandardResourceName: the quota names plus "storage". */
const STANDARD_RESOURCE = new Set([...STANDARD_QUOTA, "storage"]);
const INTEGER_RESOURCES = new Set(["pods", "resourcequotas", "services", "replicationcontrollers", "secrets", "persistentvolumeclaims", "configmaps", "services.nodeports", "services.loadbalancers"]);
const QUALIFIED = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const isHugePages = (n: string) => n.startsWith("hugepages-") || n.startsWith("requests.hugepages-");

function q(v: unknown): Quantity | undefined {
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  try {
    return parseQuantity(v);
  } catch {
    return undefined;
  }
}

function validateQuota(obj: KubeObject, causes: StatusCause[]): void {
  for (const [name, v] of Object.entries(o(o(obj.spec).hard)).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const field = `spec.hard[${name}]`;
    if (!QUALIFIED.test(name)) {
      causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "${name}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`, field });
      continue;
    }
    if (!name.includes("/")) {
      if (!STANDARD_RESOURCE.has(name) && !isHugePages(name)) {
        causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "${name}": must be a standard resource type or fully qualified`, field });
      }
      if (!STANDARD_QUOTA.has(name) && !name.startsWith("requests.hugepages-")) {
        causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "${name}": must be a standard resource for quota`, field });
        continue;
      }
    }
    const value = q(v);
    if (!value) continue;
    if (value.nanos < 0n) causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "${formatQuantity(value)}": must be greater than or equal to 0`, field });
    if ((INTEGER_RESOURCES.has(name) || name.startsWith("count/")) && value.nanos % 1_000_000_000n !== 0n) {
      causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${goQuantityRepr(value)}: must be an integer`, field });
    }
  }
}

const LIMIT_FIELDS = ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"] as const;

function validateLimitRange(obj: KubeObject, causes: StatusCause[]): void {
  const seen = new Set<string>();
  list(o(obj.spec).limits).forEach((item, i) => {
    const base = `spec.limits[${i}]`;
    const type = typeof item.type === "string" ? item.type : "";
    if (!type) causes.push({ reason: "FieldValueRequired", message: "Required value", field: `${base}.type` });
    else if (seen.has(type)) causes.push({ reason: "FieldValueDuplicate", message: `Duplicate value: "${type}"`, field: `${base}.type` });
    seen.add(type);
    const m: Record<string, Map<string, Quantity>> = {};
    for (const f of LIMIT_FIELDS) {
      m[f] = new Map();
      for (const [k, v] of Object.entries(o(item[f]))) {
        const value = q(v);
        if (value) m[f].set(k, value);
      }
    }
    if (type === "Pod") {
      for (const f of ["default", "defaultRequest"] as const) {
        if (m[f]!.size) causes.push({ reason: "FieldValueForbidden", message: "Forbidden: may not be specified when `type` is 'Pod'", field: `${base}.${f}` });
      }
    }
    if (type === "PersistentVolumeClaim" && !m.min!.has("storage") && !m.max!.has("storage")) {
      causes.push({ reason: "FieldValueRequired", message: "Required value: either minimum or maximum storage value is required, but neither was provided", field: `${base}.limits` });
    }
    const keys = [...new Set(LIMIT_FIELDS.flatMap((f) => [...m[f]!.keys()]))].sort();
    const s = formatQuantity;
    const bad = (field: string, value: Quantity, detail: string) => causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${goQuantityRepr(value)}: ${detail}`, field });
    for (const k of keys) {
      const min = m.min!.get(k);
      const max = m.max!.get(k);
      const def = m.default!.get(k);
      const defReq = m.defaultRequest!.get(k);
      const ratio = m.maxLimitRequestRatio!.get(k);
      if (min && max && compareQuantities(min, max) > 0) bad(`${base}.min[${k}]`, min, `min value ${s(min)} is greater than max value ${s(max)}`);
      if (defReq && min && compareQuantities(min, defReq) > 0) bad(`${base}.defaultRequest[${k}]`, defReq, `min value ${s(min)} is greater than default request value ${s(defReq)}`);
      if (defReq && max && compareQuantities(defReq, max) > 0) bad(`${base}.defaultRequest[${k}]`, defReq, `default request value ${s(defReq)} is greater than max value ${s(max)}`);
      if (defReq && def && compareQuantities(defReq, def) > 0) bad(`${base}.defaultRequest[${k}]`, defReq, `default request value ${s(defReq)} is greater than default limit value ${s(def)}`);
      if (def && min && compareQuantities(min, def) > 0) bad(`${base}.default[${k}]`, min, `min value ${s(min)} is greater than default value ${s(def)}`);
      if (def && max && compareQuantities(def, max) > 0) bad(`${base}.default[${k}]`, max, `default value ${s(def)} is greater than max value ${s(max)}`);
      if (ratio && ratio.nanos < 1_000_000_000n) bad(`${base}.maxLimitRequestRatio[${k}]`, ratio, `ratio ${s(ratio)} is less than 1`);
    }
  });
}

/** ValidateResourceRequirements' request ≤ limit rule for each container of a pod or template. */
function validateContainerResources(key: string, obj: KubeObject, causes: StatusCause[]): void {
  const pod = podSpecOf(key, obj);
  if (!pod) return;
  for (const f of ["containers", "initContainers"]) {
    list(pod.spec[f]).forEach((c, i) => {
      const r = o(c.resources);
      const lim = o(r.limits);
      for (const [name, v] of Object.entries(o(r.requests))) {
        const req = q(v);
        const l = q(lim[name]);
        if (req && l && compareQuantities(req, l) > 0) {
          causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "${formatQuantity(req)}": must be less than or equal to ${name} limit of ${formatQuantity(l)}`, field: `${pod.path}.${f}[${i}].resources.requests` });
        }
      }
    });
  }
}

/** The causes for the kinds of this area (ResourceQuota, LimitRange, pod container resources). */
export function validateQuotaKinds(key: string, obj: KubeObject, causes: StatusCause[]): void {
  if (key === "resourcequotas") validateQuota(obj, causes);
  if (key === "limitranges") validateLimitRange(obj, causes);
  validateContainerResources(key, obj, causes);
}
