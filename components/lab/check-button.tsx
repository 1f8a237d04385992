"use client";

import { useState } from "react";
import type { GradeOutcome } from "@/lib/labs/lab-deps";
import { ErrorNote } from "./error-note";
import { LabApiError, labApi } from "./lab-api";

/** Check: grades the cluster as it is now. Checks with a hold window take that long. */
export function CheckButton({ labId, onChecked }: { labId: string; onChecked: (g: GradeOutcome) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  async function check() {
    setBusy(true);
    setError(null);
    try {
      onChecked(await labApi<GradeOutcome>(`/api/labs/${labId}/check`));
    } catch (e) {
      setError(e instanceof LabApiError ? e : { message: "The check failed to run." });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="flex flex-col gap-2">
      <button
        type="button"
        onClick={() => void check()}
        disabled={busy}
        className="rounded bg-amber-500 px-4 py-2 font-medium text-slate-950 hover:bg-amber-400 disabled:opacity-60"
      >
        {busy ? "Checking…" : "Check"}
      </button>
      <ErrorNote error={error} />
    </div>
  );
}
