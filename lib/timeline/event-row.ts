import type { RowDraft } from "./timeline-row";
import type { TimelineEvent } from "./timeline-objects";

/**
 * The actor of an Event: its reporting component, and for the kubelet the node it runs on
 * ("kubelet/kind-worker"). core/v1 names them source.component/host; events.k8s.io/v1 names
 * them reportingController/reportingInstance (and keeps the core names as deprecated*).
 */
export function eventActor(e: TimelineEvent): string {
  const component = e.source?.component || e.reportingComponent || e.reportingController || e.deprecatedSource?.component || "unknown";
  const host = e.source?.host || e.deprecatedSource?.host || (component === "kubelet" ? e.reportingInstance : "") || "";
  return component === "kubelet" && host ? `kubelet/${host}` : component;
}

/** How many times the Event has happened: count (core), series.count or deprecatedCount (events.k8s.io). */
export function eventCount(e: TimelineEvent): number {
  return e.count ?? e.series?.count ?? e.deprecatedCount ?? 1;
}

/** When the Event last happened, at the best precision it carries. */
export function eventTime(e: TimelineEvent, fallback: string): string {
  return e.series?.lastObservedTime ?? e.lastTimestamp ?? e.deprecatedLastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? fallback;
}

/** One row for an Event (or a repeat of it: `×N` says which occurrence). */
export function eventRow(e: TimelineEvent, at: string): RowDraft {
  const about = e.involvedObject ?? e.regarding ?? {};
  const kind = (about.kind ?? "object").toLowerCase();
  const count = eventCount(e);
  const message = e.message ?? e.note ?? "";
  return {
    at: eventTime(e, at),
    actor: eventActor(e),
    action: `${e.type === "Warning" ? "⚠ " : ""}${e.reason ?? "Event"}${count > 1 ? ` (×${count})` : ""}`,
    object: `${kind}/${about.name ?? ""}`,
    namespace: about.namespace ?? e.metadata.namespace ?? undefined,
    pods: kind === "pod" && about.name ? [about.name] : undefined,
    field: about.fieldPath ?? undefined,
    detail: message || undefined,
    source: "event",
  };
}
