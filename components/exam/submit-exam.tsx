"use client";

import { useState } from "react";
import { ErrorNote } from "@/components/lab/error-note";
import { LabApiError, labApi } from "@/components/lab/lab-api";

/** Submit, confirmed inline: every task is graded and the attempt ends. */
export function SubmitExam({ attemptId, flagged, onSubmitted }: { attemptId: string; flagged: number; onSubmitted: () => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  async function submit() {
    setBusy(true);
    setError(null);
    try {
      await labApi(`/api/exams/${attemptId}/submit`);
      onSubmitted();
    } catch (e) {
      setError(e instanceof LabApiError ? e : { message: "The exam could not be submitted." });
      setBusy(false);
    }
  }
  return (
    <div className="flex flex-col gap-2">
      <button type="button" onClick={() => setAsking(!asking)} disabled={busy} className="rounded bg-emerald-700 px-3 py-1.5 text-sm text-white hover:bg-emerald-600 disabled:opacity-50">
        {busy ? "Grading…" : "Submit exam"}
      </button>
      {asking && (
        <div role="group" aria-label="Confirm" className="rounded border border-slate-700 bg-slate-900 px-3 py-2 text-sm flex flex-wrap items-center gap-3">
          <span>
            Hand in now? Every task is graded as its cluster is, and the exam ends.
            {flagged > 0 ? ` ${flagged} task(s) are still flagged.` : ""}
          </span>
          <button type="button" disabled={busy} onClick={() => void submit()} className="rounded bg-amber-600 px-2 py-1 text-white hover:bg-amber-500 disabled:opacity-50">
            Yes, submit
          </button>
          <button type="button" onClick={() => setAsking(false)} className="text-slate-400 hover:text-slate-200">
            Cancel
          </button>
        </div>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
