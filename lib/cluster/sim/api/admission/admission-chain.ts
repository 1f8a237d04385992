import type { ObjectStore } from "../../store/object-store";
import { randomSuffix } from "../../store/object-store";
import { findResourceType, type ResourceType } from "../../store/resource-types";
import { invalid, type StatusCause } from "../../store/status-error";
import type { KubeObject } from "../../store/types";
import { defaultRequestsFromLimits, qosClass } from "../defaults";
import { defaultLimitRange, mutatePodLimits, validateLimits } from "./limit-ranger";
import { checkQuotas } from "./resource-quota";
import { o } from "./resource-lists";
import { canonicalizeQuantities, checkQuantities, validateQuotaKinds } from "./validate-quota-kinds";

/**
 * The create path's admission, in the apiserver's order: decoding checks and the kinds' own
 * defaulting, then mutating admission (LimitRanger's defaults), then — after validation —
 * the validating plugins (LimitRanger's min/max, ResourceQuota). The API's create handler runs
 * the two halves around its validation; in-process creators (the controllers' pod creation,
 * which goes through the apiserver in a real cluster) call admitCreate.
 */

/** Before validation: decode checks, defaulting of the quota kinds, LimitRanger's mutation. */
export function admitMutating(store: ObjectStore, rt: ResourceType, key: string, obj: KubeObject): void {
  checkQuantities(rt, key, obj);
  if (key === "limitranges") defaultLimitRange(obj);
  if (key === "resourcequotas") delete obj.status; // PrepareForCreate: the controller fills status
  canonicalizeQuantities(key, obj);
  if (key === "pods") {
    defaultRequestsFromLimits(o(obj.spec));
    mutatePodLimits(store, obj);
    // The pod strategy sets the QoS class after admission, so it sees LimitRanger's defaults.
    const status = o(obj.status);
    if (status.qosClass !== undefined) status.qosClass = qosClass(o(obj.spec));
  }
}

/** On update: the same decoding checks and defaulting (they run on every decode), no admission. */
export function prepareUpdate(rt: ResourceType, key: string, obj: KubeObject): void {
  checkQuantities(rt, key, obj);
  if (key === "limitranges") defaultLimitRange(obj);
  canonicalizeQuantities(key, obj);
}

/** Causes from this area's validation, to add to the kind's own. */
export function validationCauses(key: string, obj: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  validateQuotaKinds(key, obj, causes);
  return causes;
}

/**
 * The name generateName yields, picked before validating admission as the registry does, so a
 * refusal names the pod ("pods \"web-7d9c5-x2x5l\" is forbidden: …").
 */
export function generateName(store: ObjectStore, key: string, obj: KubeObject): void {
  const meta = obj.metadata;
  if (meta.name || !meta.generateName) return;
  for (let i = 0; i < 10 && !meta.name; i++) {
    const candidate = meta.generateName + randomSuffix();
    if (!store.get(key, meta.namespace, candidate)) meta.name = candidate;
  }
}

/** After validation: LimitRanger's constraints, then ResourceQuota. */
export function admitValidating(store: ObjectStore, key: string, obj: KubeObject, now: Date): void {
  validateLimits(store, key, obj);
  checkQuotas(store, key, obj, now);
}

/** The whole chain for an in-process create of `obj` (storage key `key`); throws the apiserver's Status. */
export function admitCreate(store: ObjectStore, key: string, obj: KubeObject, now: Date): void {
  const dot = key.indexOf(".");
  const rt = dot < 0 ? findResourceType("", key) : findResourceType(key.slice(dot + 1), key.slice(0, dot));
  if (!rt) return;
  admitMutating(store, rt, key, obj);
  generateName(store, key, obj);
  const causes = validationCauses(key, obj);
  if (causes.length) throw invalid(rt, obj.metadata.name ?? "", causes);
  admitValidating(store, key, obj, now);
}
