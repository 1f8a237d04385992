import type { z } from "zod";
import { diffEndpointSlice } from "./diff-endpoint-slice";
import { diffNode } from "./diff-node";
import { diffPod } from "./diff-pod";
import { eventCount, eventRow } from "./event-row";
import { NodeLogParser } from "./parse-node-log";
import { endpointSliceSchema, eventSchema, nodeSchema, podSchema, type TimelineResource } from "./timeline-objects";
import type { RowDraft, TimelineRow } from "./timeline-row";

export interface TimelineFilter {
  namespace?: string;
  pod?: string;
}

export interface TimelineFeedOptions {
  /** Rows kept (a ring): the oldest go first. */
  capacity?: number;
  /** Events already in the first list are shown when they happened this recently. */
  historyMs?: number;
  now?: () => Date;
}

/** Event uids remembered for de-duplication; beyond this the oldest are forgotten. */
const MAX_SEEN_EVENTS = 5000;

type Differ = (prev: never, next: never, at: string, deleted?: boolean) => RowDraft[];
const RESOURCES: Record<Exclude<TimelineResource, "events">, { schema: z.ZodType<{ metadata: { name: string; namespace?: string; uid?: string } }>; diff: Differ }> = {
  pods: { schema: podSchema, diff: diffPod as Differ },
  endpointslices: { schema: endpointSliceSchema, diff: diffEndpointSlice as Differ },
  nodes: { schema: nodeSchema, diff: diffNode as Differ },
};

/** Does a row belong to a filtered view? Cluster-scoped rows (nodes) show unless one pod is asked for. */
export function matchesFilter(row: TimelineRow, f: TimelineFilter): boolean {
  if (f.pod && !(row.pods ?? []).includes(f.pod)) return false;
  if (f.namespace && row.namespace !== undefined && row.namespace !== f.namespace) return false;
  if (f.namespace && row.namespace === undefined && f.pod) return false;
  return true;
}

/**
 * The timeline of one cluster: fed lists, watch events and node journal lines, it keeps the
 * last version of every pod, EndpointSlice and node, diffs each new version against it, and
 * keeps the resulting rows in a ring. Pure: no I/O, time from `now`.
 *
 * The first list of a resource is the baseline (no rows: what already existed is not news);
 * a later list (after a watch broke off) is diffed like a watch event, so nothing missed during
 * the gap is lost, and objects missing from it count as deleted.
 */
export class TimelineFeed {
  private readonly ring: TimelineRow[] = [];
  private seq = 0;
  private readonly last = new Map<TimelineResource, Map<string, unknown>>();
  private readonly seenEvents = new Map<string, number>();
  private readonly parsers = new Map<string, NodeLogParser>();
  private readonly listeners = new Set<(rows: TimelineRow[]) => void>();
  private readonly capacity: number;
  private readonly historyMs: number;
  private readonly now: () => Date;

  constructor(opts: TimelineFeedOptions = {}) {
    this.capacity = opts.capacity ?? 500;
    this.historyMs = opts.historyMs ?? 5 * 60_000;
    this.now = opts.now ?? (() => new Date());
  }

  /** The rows kept, oldest first, that match `filter`. */
  rows(filter: TimelineFilter = {}): TimelineRow[] {
    return this.ring.filter((r) => matchesFilter(r, filter));
  }

  /** Calls fn with each batch of new rows; returns the unsubscribe function. */
  subscribe(fn: (rows: TimelineRow[]) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** A full list of a resource (the first one, or a re-list after a broken watch). */
  list(resource: TimelineResource, items: unknown[]): void {
    const at = this.now().toISOString();
    if (resource === "events") {
      const first = !this.last.has("events");
      this.last.set("events", new Map());
      const cutoff = this.now().getTime() - this.historyMs;
      const drafts: RowDraft[] = [];
      for (const raw of items) {
        const e = eventSchema.safeParse(raw);
        if (!e.success) continue;
        const row = this.eventDraft(e.data, at);
        // History from the first list is shown at its own time, and only when recent.
        if (row && (!first || Date.parse(row.at) >= cutoff)) drafts.push(row);
      }
      drafts.sort((a, b) => a.at.localeCompare(b.at));
      this.push(drafts);
      return;
    }
    const { schema, diff } = RESOURCES[resource];
    const known = this.last.get(resource);
    const next = new Map<string, unknown>();
    const drafts: RowDraft[] = [];
    for (const raw of items) {
      const o = schema.safeParse(raw);
      if (!o.success) continue;
      const key = keyOf(o.data.metadata);
      next.set(key, o.data);
      if (known) drafts.push(...diff(known.get(key) as never, o.data as never, at));
    }
    for (const [key, old] of known ?? []) if (!next.has(key)) drafts.push(...diff(old as never, old as never, at, true));
    this.last.set(resource, next);
    this.push(drafts);
  }

  /** One watch event (ADDED, MODIFIED, DELETED). */
  watch(resource: TimelineResource, type: string, raw: unknown): void {
    const at = this.now().toISOString();
    if (resource === "events") {
      const e = eventSchema.safeParse(raw);
      if (!e.success) return;
      if (type === "DELETED") {
        this.seenEvents.delete(e.data.metadata.uid ?? keyOf(e.data.metadata));
        return;
      }
      const row = this.eventDraft(e.data, at);
      // Seen live: the time it was seen (core Events carry whole seconds only, which would put an Event before the object change it reports).
      if (row) this.push([{ ...row, at }]);
      return;
    }
    const { schema, diff } = RESOURCES[resource];
    const o = schema.safeParse(raw);
    if (!o.success) return;
    let map = this.last.get(resource);
    if (!map) this.last.set(resource, (map = new Map()));
    const key = keyOf(o.data.metadata);
    const prev = map.get(key);
    const deleted = type === "DELETED";
    if (deleted) map.delete(key);
    else map.set(key, o.data);
    this.push(diff((deleted ? (prev ?? o.data) : prev) as never, o.data as never, at, deleted));
  }

  /** New journal lines of a node's kubelet and containerd, in order. */
  logLines(node: string, lines: string[]): void {
    let parser = this.parsers.get(node);
    if (!parser) this.parsers.set(node, (parser = new NodeLogParser(node)));
    const now = this.now();
    const drafts: RowDraft[] = [];
    for (const l of lines) {
      const d = parser.parse(l, now);
      if (d) drafts.push(d);
    }
    this.push(drafts);
  }

  private eventDraft(e: z.infer<typeof eventSchema>, at: string): RowDraft | undefined {
    const id = e.metadata.uid ?? keyOf(e.metadata);
    const count = eventCount(e);
    if ((this.seenEvents.get(id) ?? 0) >= count) return undefined;
    this.seenEvents.delete(id);
    this.seenEvents.set(id, count);
    if (this.seenEvents.size > MAX_SEEN_EVENTS) this.seenEvents.delete(this.seenEvents.keys().next().value!);
    return eventRow(e, at);
  }

  private push(drafts: RowDraft[]): void {
    if (!drafts.length) return;
    const rows = drafts.map((d) => ({ ...d, seq: ++this.seq, offsetMs: 0 }));
    this.ring.push(...rows);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
    for (const fn of this.listeners) fn(rows);
  }
}

function keyOf(m: { name: string; namespace?: string; uid?: string }): string {
  return m.uid ?? `${m.namespace ?? ""}/${m.name}`;
}

/** Rows with offsets from `origin` (ms since epoch): what one stream sends. */
export function withOffsets(rows: TimelineRow[], origin: number): TimelineRow[] {
  return rows.map((r) => ({ ...r, offsetMs: Date.parse(r.at) - origin }));
}
