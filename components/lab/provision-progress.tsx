"use client";

import { useEffect, useState } from "react";
import type { ProvisionProgress as Progress } from "@/lib/labs/lab-progress";
import { PROVISION_STEP_LABELS } from "@/lib/labs/lab-states";

const ICON: Record<string, string> = { pending: "○", running: "◐", done: "●", failed: "✕" };
const COLOR: Record<string, string> = {
  pending: "text-slate-500",
  running: "text-amber-300 animate-pulse",
  done: "text-emerald-400",
  failed: "text-rose-400",
};

/**
 * cluster → setup → inject → ready, streamed from /api/labs/:id/progress. Calls onSettled once
 * the lab is ready or has failed, so the page can load what comes next.
 */
export function ProvisionProgress({
  labId,
  initial,
  onSettled,
}: {
  labId: string;
  initial: Progress;
  onSettled: (p: Progress) => void;
}) {
  const [progress, setProgress] = useState(initial);
  const [lost, setLost] = useState(false);

  useEffect(() => {
    const es = new EventSource(`/api/labs/${labId}/progress`);
    es.addEventListener("progress", (ev) => {
      const p = JSON.parse((ev as MessageEvent<string>).data) as Progress;
      setProgress(p);
      setLost(false);
      if (p.done || p.error) {
        es.close();
        onSettled(p);
      }
    });
    es.onerror = () => setLost(true);
    return () => es.close();
  }, [labId, onSettled]);

  return (
    <section aria-label="Lab provisioning" className="rounded-lg border border-slate-800 bg-slate-900 p-5 max-w-xl">
      <h2 className="font-semibold">Preparing your lab</h2>
      <p className="text-sm text-slate-400 mt-1" data-testid="driver-label">
        Driver: <span className="text-slate-200">{progress.driverLabel}</span>
      </p>
      <ol className="mt-4 space-y-2">
        {progress.steps.map((s) => (
          <li key={s.id} data-testid={`step-${s.id}`} data-status={s.status} className="flex items-center gap-3">
            <span aria-hidden className={`w-4 text-center ${COLOR[s.status]}`}>
              {ICON[s.status]}
            </span>
            <span className={s.status === "pending" ? "text-slate-500" : "text-slate-200"}>{PROVISION_STEP_LABELS[s.id]}</span>
            <span className="sr-only">{s.status}</span>
          </li>
        ))}
      </ol>
      {progress.error && (
        <div role="alert" className="mt-4 rounded border border-rose-800 bg-rose-950/60 px-3 py-2 text-sm">
          <p className="text-rose-200">{progress.error.message}</p>
          {progress.error.hint && <p className="text-rose-300/80 mt-1">{progress.error.hint}</p>}
        </div>
      )}
      {lost && !progress.error && !progress.done && (
        <p className="mt-3 text-xs text-slate-500">Reconnecting to the server for progress…</p>
      )}
    </section>
  );
}
