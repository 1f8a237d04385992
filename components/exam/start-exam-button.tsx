"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorNote } from "@/components/lab/error-note";
import type { ExamMode } from "@/lib/exams/define-exam";
import { LabApiError, labApi } from "@/components/lab/lab-api";

const MODE_TEXT: Record<ExamMode, string> = {
  exam: "Exam: one timer, no checks, hints or reset; graded at the end",
  timed: "Timed: one timer, checks and hints (hints cost points)",
  practice: "Practice: untimed, checks and hints",
};

/** Starts (or resumes) an attempt in the chosen mode and opens the exam page. */
export function StartExamButton({ slug, title, modes }: { slug: string; title: string; modes: ExamMode[] }) {
  const router = useRouter();
  const [mode, setMode] = useState<ExamMode>(modes[0]!);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  async function start() {
    setBusy(true);
    setError(null);
    try {
      const r = await labApi<{ id: string }>("/api/exams", { body: { exam: slug, mode } });
      router.push(`/exams/${r.id}`);
    } catch (e) {
      setError(e instanceof LabApiError ? e : { message: "The exam could not be started." });
      setBusy(false);
    }
  }
  return (
    <div className="flex flex-col gap-2">
      {modes.length > 1 && (
        <fieldset className="flex flex-col gap-1 text-sm">
          <legend className="sr-only">Mode</legend>
          {modes.map((m) => (
            <label key={m} className="flex items-center gap-2">
              <input type="radio" name={`mode-${slug}`} value={m} checked={mode === m} onChange={() => setMode(m)} />
              {MODE_TEXT[m]}
            </label>
          ))}
        </fieldset>
      )}
      <button
        type="button"
        onClick={() => void start()}
        disabled={busy}
        aria-label={`Start exam: ${title}`}
        className="self-start rounded bg-amber-500 px-3 py-1.5 text-sm font-medium text-slate-950 hover:bg-amber-400 disabled:opacity-60"
      >
        {busy ? "Starting…" : "Start exam"}
      </button>
      <ErrorNote error={error} />
    </div>
  );
}
