"use client";

import { useState } from "react";
import { CheckResults } from "@/components/lab/check-results";
import { ErrorNote } from "@/components/lab/error-note";
import { LabApiError, labApi } from "@/components/lab/lab-api";
import { MarkdownDoc } from "@/components/lab/markdown";
import type { CheckPreview } from "@/lib/instructor/preview-checks";
import type { InstructorPanelView } from "@/lib/instructor/instructor-panel";

/**
 * The instructor's view of a lab (`?instructor=1`): the variant, the checks run live without
 * counting as the learner's check, and the solution.
 */
export function InstructorPanel({ labId, view, canCheck }: { labId: string; view: InstructorPanelView; canCheck: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  const [preview, setPreview] = useState<(CheckPreview & { at: string }) | null>(null);

  async function run() {
    setBusy(true);
    setError(null);
    try {
      const p = await labApi<CheckPreview>(`/api/instructor/labs/${labId}/checks`);
      setPreview({ ...p, at: new Date().toISOString() });
    } catch (e) {
      setError(e instanceof LabApiError ? e : { message: "The checks failed to run." });
    } finally {
      setBusy(false);
    }
  }

  const points = preview?.results.filter((r) => r.ok).reduce((n, r) => n + r.points, 0) ?? 0;
  const max = view.checks.reduce((n, c) => n + c.points, 0);
  return (
    <section aria-label="Instructor panel" data-testid="instructor-panel" className="rounded-lg border border-sky-800 bg-sky-950/40 p-4 flex flex-col gap-3">
      <div className="flex flex-wrap items-baseline gap-3">
        <h2 className="font-semibold text-sky-200">Instructor panel</h2>
        <span className="text-sm text-slate-300" data-testid="instructor-variant">
          variant <span className="font-mono">{view.variant.id}</span> — {view.variant.title}
        </span>
        <span className="text-xs text-slate-500">of {view.variants.map((v) => v.id).join(", ")}</span>
      </div>
      <div className="flex items-center gap-3">
        <button
          type="button"
          onClick={() => void run()}
          disabled={busy || !canCheck}
          className="rounded bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-500 disabled:opacity-60"
        >
          {busy ? "Running checks…" : "Run checks"}
        </button>
        <span className="text-xs text-slate-400">Not recorded: the learner&apos;s score and check history stay as they are.</span>
      </div>
      <ErrorNote error={error} />
      {preview ? (
        <div data-testid="instructor-checks">
          <CheckResults
            run={{
              id: "preview",
              createdAt: preview.at,
              score: points,
              maxScore: max,
              hintPenalty: 0,
              allPassed: preview.results.every((r) => r.ok),
              durationMs: preview.durationMs,
              results: preview.results,
            }}
            title="Checks now (instructor)"
            live={false}
          />
        </div>
      ) : (
        <ul className="text-sm text-slate-300 list-disc pl-5">
          {view.checks.map((c) => (
            <li key={c.id}>
              {c.title} <span className="text-slate-500">({c.points})</span>
            </li>
          ))}
        </ul>
      )}
      <details className="rounded border border-slate-800 bg-slate-900 px-3 py-2 text-sm" data-testid="instructor-solution">
        <summary className="cursor-pointer text-slate-300">Solution</summary>
        <MarkdownDoc text={view.solution} label="Solution text" />
      </details>
    </section>
  );
}
