"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type { TimelineRow } from "@/lib/timeline/timeline-row";

/** Rows the page keeps; the server keeps its own ring, this bounds a tab left open for hours. */
const MAX_ROWS = 500;

const ACTOR_COLOR: [RegExp, string][] = [
  [/^kube-apiserver/, "text-sky-300"],
  [/scheduler/, "text-violet-300"],
  [/^kubelet/, "text-emerald-300"],
  [/^containerd/, "text-teal-300"],
  [/endpointslice|endpoint-controller/, "text-amber-300"],
  [/controller/, "text-orange-300"],
];

function actorColor(actor: string): string {
  return ACTOR_COLOR.find(([re]) => re.test(actor))?.[1] ?? "text-slate-300";
}

/** +1.234s, +2m05s: the offset from the first row, as a learner reads it. */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? "−" : "+";
  const a = Math.abs(ms);
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(3)}s`;
  const m = Math.floor(a / 60_000);
  const s = Math.floor((a % 60_000) / 1000);
  return `${sign}${m}m${String(s).padStart(2, "0")}s`;
}

/** Rows in the order things happened: by time, then in the order they were learned. */
function ordered(rows: TimelineRow[]): TimelineRow[] {
  return [...rows].sort((a, b) => a.at.localeCompare(b.at) || a.seq - b.seq);
}

/**
 * The live timeline of a lab's cluster: each component's action as a row (offset, actor, what it
 * did, which field changed from what to what), streamed by /api/labs/:id/timeline from the API
 * watch and the nodes' kubelet and containerd journals. It follows the newest row unless the
 * learner has scrolled up to read.
 */
export function LessonTimeline({ labId, namespace, pod }: { labId: string; namespace?: string; pod?: string }) {
  const [rows, setRows] = useState<TimelineRow[]>([]);
  const [stream, setStream] = useState<"connecting" | "open" | "lost">("connecting");
  const [generation, setGeneration] = useState(0);
  const listRef = useRef<HTMLOListElement>(null);
  const follow = useRef(true);

  useEffect(() => {
    const q = new URLSearchParams();
    if (namespace) q.set("namespace", namespace);
    if (pod) q.set("pod", pod);
    const es = new EventSource(`/api/labs/${labId}/timeline${q.size ? `?${q}` : ""}`);
    es.addEventListener("snapshot", (ev) => {
      const snap = JSON.parse((ev as MessageEvent<string>).data) as { rows: TimelineRow[] };
      setRows(ordered(snap.rows).slice(-MAX_ROWS));
      setStream("open");
    });
    es.addEventListener("rows", (ev) => {
      const batch = JSON.parse((ev as MessageEvent<string>).data) as TimelineRow[];
      setRows((have) => {
        const known = new Set(have.map((r) => r.seq));
        return ordered([...have, ...batch.filter((r) => !known.has(r.seq))]).slice(-MAX_ROWS);
      });
    });
    es.onerror = () => {
      setStream("lost");
      // The browser retries an open stream itself; a refused one (e.g. after a reset) we retry.
      if (es.readyState === EventSource.CLOSED) setTimeout(() => setGeneration((g) => g + 1), 3000);
    };
    return () => es.close();
  }, [labId, namespace, pod, generation]);

  useEffect(() => {
    const el = listRef.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [rows]);

  const origin = useMemo(() => (rows.length ? Date.parse(rows[0]!.at) : 0), [rows]);

  return (
    <div data-testid="timeline" data-stream={stream} className="text-xs">
      {stream === "lost" && <p className="mb-1 text-slate-500">Timeline disconnected from the breakfix server; reconnecting…</p>}
      {rows.length === 0 && stream !== "lost" && (
        <p className="text-slate-500" data-testid="timeline-empty">
          Nothing has happened yet. Create, change or delete something (for example <code>kubectl run t --image=nginx</code>) and each component&apos;s
          part shows here.
        </p>
      )}
      <ol
        ref={listRef}
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
        className="max-h-80 overflow-y-auto font-mono leading-snug"
        aria-label="Timeline rows"
        aria-live="polite"
      >
        {rows.map((r) => (
          <li key={r.seq} data-testid="timeline-row" data-source={r.source} data-actor={r.actor} className="grid grid-cols-[4.5rem_minmax(0,1fr)] gap-x-2 border-b border-slate-800/60 py-0.5">
            <span className="text-right text-slate-500" title={r.at}>
              {formatOffset(Date.parse(r.at) - origin)}
            </span>
            <span className="min-w-0 break-words">
              <span className={actorColor(r.actor)}>{r.actor}</span>{" "}
              <span className={r.action.startsWith("⚠") ? "text-amber-300" : "text-slate-200"} title={r.source.endsWith("-log") ? r.detail : undefined}>
                {r.action}
              </span>{" "}
              <span className="text-slate-500">
                {r.namespace ? `${r.namespace}/` : ""}
                {r.object}
              </span>
              {r.field && (
                <span className="block text-slate-400">
                  {r.field}
                  {r.to !== undefined && (
                    <>
                      : <span className="text-rose-300/80">{r.from || "∅"}</span> → <span className="text-emerald-300/90">{r.to || "∅"}</span>
                    </>
                  )}
                </span>
              )}
              {r.detail && r.source !== "kubelet-log" && r.source !== "containerd-log" && <span className="block text-slate-500">{r.detail}</span>}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
