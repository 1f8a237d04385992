import type { RowDraft } from "./timeline-row";
import type { TimelineEndpointSlice } from "./timeline-objects";

type Endpoint = NonNullable<TimelineEndpointSlice["endpoints"]>[number];

function keyOf(e: Endpoint): string {
  return e.targetRef?.name ? `${e.targetRef.name}` : e.addresses.join(",");
}

function conditionsText(e: Endpoint): string {
  const c = e.conditions ?? {};
  // A nil condition means "unknown" to consumers, which treat ready=nil as ready (KEP-1672).
  const f = (v: boolean | null | undefined) => (v === false ? "false" : "true");
  return `ready=${f(c.ready)} serving=${f(c.serving ?? c.ready)} terminating=${c.terminating ? "true" : "false"}`;
}

/**
 * The rows between two versions of an EndpointSlice: an endpoint (one pod's address) added,
 * removed, or its ready/serving/terminating conditions changed. kube-proxy routes a Service to
 * ready endpoints only, so these rows say when a pod starts and stops receiving traffic.
 */
export function diffEndpointSlice(prev: TimelineEndpointSlice | undefined, next: TimelineEndpointSlice, at: string, deleted = false): RowDraft[] {
  const service = next.metadata.labels?.["kubernetes.io/service-name"];
  const base = { at, namespace: next.metadata.namespace, object: `endpointslice/${next.metadata.name}`, actor: "endpointslice-controller", source: "watch" as const };
  const svc = service ? ` of service/${service}` : "";
  const before = new Map((prev?.endpoints ?? []).map((e) => [keyOf(e), e]));
  const after = new Map(deleted ? [] : (next.endpoints ?? []).map((e) => [keyOf(e), e]));
  const rows: RowDraft[] = [];
  for (const [k, e] of after) {
    const b = before.get(k);
    const pods = e.targetRef?.name ? [e.targetRef.name] : undefined;
    const field = `endpoints[${e.addresses[0] ?? k}].conditions`;
    if (!b) rows.push({ ...base, pods, action: `endpoint added${svc}`, field, from: "", to: conditionsText(e), detail: e.targetRef?.name ? `pod/${e.targetRef.name} at ${e.addresses.join(", ")}` : undefined });
    else if (conditionsText(b) !== conditionsText(e)) rows.push({ ...base, pods, action: `endpoint conditions changed${svc}`, field, from: conditionsText(b), to: conditionsText(e) });
  }
  for (const [k, b] of before) {
    if (after.has(k)) continue;
    rows.push({ ...base, pods: b.targetRef?.name ? [b.targetRef.name] : undefined, action: `endpoint removed${svc}`, field: `endpoints[${b.addresses[0] ?? k}]`, from: conditionsText(b), to: "" });
  }
  return rows;
}
