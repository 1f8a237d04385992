import { z } from "zod";

/** Where a row was learned from: an object diff, a recorded Event, or a node's journal. */
export const ROW_SOURCES = ["watch", "event", "kubelet-log", "containerd-log"] as const;

/**
 * One component's action, as the timeline shows it: who did what to which object, when, and
 * (for object diffs) which field changed from what to what.
 */
export const timelineRowSchema = z.object({
  /** Unique and increasing within one feed: the order rows were learned in. */
  seq: z.number().int().nonnegative(),
  /** ISO time the action happened (an Event's or log line's own time, else when the watch saw it). */
  at: z.string(),
  /** Milliseconds since the first row of the stream that carried this row. */
  offsetMs: z.number(),
  /** "kube-apiserver", "default-scheduler", "kubelet/<node>", "containerd/<node>", "endpointslice-controller", … */
  actor: z.string(),
  action: z.string(),
  /** "pod/web", "node/kind-worker", "endpointslice/web-x7k2p", "event/…" */
  object: z.string(),
  namespace: z.string().optional(),
  /** Pods the row concerns (for the `pod` filter): the pod itself, an Event's pod, an endpoint's targetRef. */
  pods: z.array(z.string()).optional(),
  field: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  /** The Event's message or the log line's text. */
  detail: z.string().optional(),
  source: z.enum(ROW_SOURCES),
});
export type TimelineRow = z.infer<typeof timelineRowSchema>;

/** A row as the diff functions produce it; the feed numbers it and sets its offset. */
export type RowDraft = Omit<TimelineRow, "seq" | "offsetMs">;
