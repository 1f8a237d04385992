"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorNote } from "@/components/lab/error-note";
import { LabApiError, labApi } from "@/components/lab/lab-api";

interface Option {
  slug: string;
  title: string;
}

/** Assigns a pack or an exam blueprint to a class, with an optional due date and attempt cap. */
export function AssignmentForm({ classId, packs, exams }: { classId: string; packs: Option[]; exams: Option[] }) {
  const router = useRouter();
  const [kind, setKind] = useState<"pack" | "exam">("pack");
  const [target, setTarget] = useState(packs[0]?.slug ?? "");
  const [due, setDue] = useState("");
  const [maxAttempts, setMaxAttempts] = useState("");
  const [scoring, setScoring] = useState<"best" | "last">("best");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  const options = kind === "pack" ? packs : exams;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await labApi(`/api/classes/${classId}/assignments`, {
        body: {
          kind,
          target,
          scoring,
          // datetime-local is the browser's local time; the server stores an instant.
          ...(due ? { dueAt: new Date(due).toISOString() } : {}),
          ...(maxAttempts ? { maxAttempts: Number(maxAttempts) } : {}),
        },
      });
      setDue("");
      setMaxAttempts("");
      router.refresh();
    } catch (err) {
      setError(err instanceof LabApiError ? err : { message: "The assignment could not be added." });
    } finally {
      setBusy(false);
    }
  }
  const field = "rounded border border-slate-700 bg-slate-900 px-2 py-1";
  return (
    <form onSubmit={(e) => void submit(e)} className="flex flex-wrap items-end gap-3 text-sm" aria-label="Add an assignment">
      <label className="flex flex-col gap-1">
        <span className="text-slate-400">Kind</span>
        <select
          aria-label="Kind"
          value={kind}
          className={field}
          onChange={(e) => {
            const k = e.target.value === "exam" ? "exam" : "pack";
            setKind(k);
            setTarget((k === "pack" ? packs : exams)[0]?.slug ?? "");
          }}
        >
          <option value="pack">Scenario</option>
          <option value="exam">Exam</option>
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-slate-400">{kind === "pack" ? "Scenario" : "Exam"}</span>
        <select aria-label="What to assign" value={target} onChange={(e) => setTarget(e.target.value)} className={field}>
          {options.map((o) => (
            <option key={o.slug} value={o.slug}>
              {o.title}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-slate-400">Due (optional)</span>
        <input aria-label="Due date" type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} className={field} />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-slate-400">Attempts (blank: unlimited)</span>
        <input aria-label="Attempts allowed" type="number" min={1} max={50} value={maxAttempts} onChange={(e) => setMaxAttempts(e.target.value)} className={`${field} w-24`} />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-slate-400">Result counted</span>
        <select aria-label="Result counted" value={scoring} onChange={(e) => setScoring(e.target.value === "last" ? "last" : "best")} className={field}>
          <option value="best">Best attempt</option>
          <option value="last">Last attempt</option>
        </select>
      </label>
      <button type="submit" disabled={busy || !target} className="rounded bg-amber-500 px-3 py-1.5 font-medium text-slate-950 hover:bg-amber-400 disabled:opacity-60">
        {busy ? "Adding…" : "Assign"}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
