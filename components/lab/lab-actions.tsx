"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorNote } from "./error-note";
import { LabApiError, labApi } from "./lab-api";

type Action = "reset" | "give-up" | "finish";

const CONFIRM: Record<Action, { ask: string; yes: string }> = {
  reset: { ask: "Throw this cluster away and start again with the same fault?", yes: "Yes, reset" },
  "give-up": { ask: "End the lab and see the solution? Your score stays what the last check gave.", yes: "Yes, show the solution" },
  finish: { ask: "Grade the cluster one last time and end the lab?", yes: "Yes, finish" },
};

/** Reset lab, Give up and Finish, each confirmed inline (no browser dialogs). */
export function LabActions({ labId, canReset, onReset }: { labId: string; canReset: boolean; onReset: () => void }) {
  const router = useRouter();
  const [asking, setAsking] = useState<Action | null>(null);
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);

  async function run(a: Action) {
    setBusy(a);
    setError(null);
    try {
      await labApi(`/api/labs/${labId}/${a}`);
      setAsking(null);
      if (a === "reset") onReset();
      else router.push(`/labs/${labId}/results`);
    } catch (e) {
      setError(e instanceof LabApiError ? e : { message: "The request failed." });
    } finally {
      setBusy(null);
    }
  }

  const button = (a: Action, label: string, cls: string, disabled = false) => (
    <button
      type="button"
      disabled={busy !== null || disabled}
      onClick={() => setAsking(asking === a ? null : a)}
      className={`rounded px-3 py-1.5 text-sm disabled:opacity-50 ${cls}`}
    >
      {busy === a ? `${label}…` : label}
    </button>
  );

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        {button("reset", "Reset lab", "border border-slate-700 hover:border-slate-500", !canReset)}
        {button("give-up", "Give up", "border border-slate-700 hover:border-rose-500")}
        {button("finish", "Finish", "bg-emerald-700 hover:bg-emerald-600 text-white")}
      </div>
      {asking && (
        <div role="group" aria-label="Confirm" className="rounded border border-slate-700 bg-slate-900 px-3 py-2 text-sm flex flex-wrap items-center gap-3">
          <span>{CONFIRM[asking].ask}</span>
          <button
            type="button"
            disabled={busy !== null}
            onClick={() => void run(asking)}
            className="rounded bg-amber-600 px-2 py-1 text-white hover:bg-amber-500 disabled:opacity-50"
          >
            {CONFIRM[asking].yes}
          </button>
          <button type="button" onClick={() => setAsking(null)} className="text-slate-400 hover:text-slate-200">
            Cancel
          </button>
        </div>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
