import { StatusError } from "../../store/status-error";
import type { KubeObject } from "../../store/types";
import { parseQuantity, QuantityError, type Quantity } from "../quantity";

/**
 * Shared pieces of the LimitRanger and ResourceQuota admission plugins: resource lists
 * (corev1.ResourceList) read from unstructured objects, and the Forbidden Status that
 * admission.NewForbidden builds.
 */

export type J = Record<string, unknown>;
export const o = (v: unknown): J => (v && typeof v === "object" && !Array.isArray(v) ? (v as J) : {});
export const list = (v: unknown): J[] => (Array.isArray(v) ? (v as unknown[]).map(o) : []);

export type ResourceList = Map<string, Quantity>;

/** A resource list field; values that do not parse are skipped (validation reports them). */
export function resourceList(v: unknown): ResourceList {
  const out: ResourceList = new Map();
  for (const [k, q] of Object.entries(o(v))) {
    if (typeof q !== "string" && typeof q !== "number") continue;
    try {
      out.set(k, parseQuantity(q));
    } catch (err) {
      if (!(err instanceof QuantityError)) throw err;
    }
  }
  return out;
}

/** `pods "web-7d9c5-x2x5l" is forbidden: <why>`, with the details the apiserver sends. */
export function admissionForbidden(rt: { group: string; resource: string }, name: string, why: string): StatusError {
  const gr = rt.group ? `${rt.resource}.${rt.group}` : rt.resource;
  return new StatusError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `${gr} "${name}" is forbidden: ${why}`,
    reason: "Forbidden",
    details: { name, ...(rt.group ? { group: rt.group } : {}), kind: rt.resource },
    code: 403,
  });
}

/** The containers of a pod spec, init containers after the app containers, as LimitRanger walks them. */
export function podContainers(pod: KubeObject): { containers: J[]; initContainers: J[] } {
  const spec = o(pod.spec);
  return { containers: list(spec.containers), initContainers: list(spec.initContainers) };
}

/** utilerrors.NewAggregate(errs).Error(): one message alone, several as "[a, b]". */
export function aggregate(msgs: string[]): string {
  return msgs.length === 1 ? msgs[0]! : `[${msgs.join(", ")}]`;
}
