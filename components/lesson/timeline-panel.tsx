"use client";

import { useState } from "react";
import { LessonTimeline } from "./timeline";

/**
 * The collapsible "Timeline" panel of the lab page. The stream runs only while it is open: a
 * closed panel costs the server no journal reads.
 */
export function TimelinePanel({ labId }: { labId: string }) {
  const [open, setOpen] = useState(true);
  const [namespace, setNamespace] = useState("");
  return (
    <section aria-label="Timeline" data-testid="timeline-panel" className="rounded-lg border border-slate-800 bg-slate-900 p-3 text-xs">
      <div className="flex items-center justify-between gap-2">
        <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)} className="text-sm font-medium hover:text-amber-200">
          {open ? "▾" : "▸"} Timeline
        </button>
        {open && (
          <label className="flex items-center gap-1 text-slate-400">
            namespace
            <select value={namespace} onChange={(e) => setNamespace(e.target.value)} className="rounded border border-slate-700 bg-slate-950 px-1 py-0.5 text-slate-200">
              <option value="">all</option>
              <option value="default">default</option>
              <option value="kube-system">kube-system</option>
            </select>
          </label>
        )}
      </div>
      {open && (
        <div className="mt-2">
          <LessonTimeline labId={labId} namespace={namespace || undefined} />
        </div>
      )}
    </section>
  );
}
