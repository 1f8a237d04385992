"use client";

import { useEffect, useState } from "react";
import { MarkdownDoc } from "@/components/lab/markdown";
import { labApi } from "@/components/lab/lab-api";
import type { LessonProgress, LessonStepStatus } from "@/lib/lessons/get-lesson-progress";

export interface LessonStepInfo {
  id: string;
  title: string;
  text: string;
  command: string;
}

/** How often the page asks for progress while the lab is ready (the route checks the current step). */
export const LESSON_POLL_MS = 3000;

const BADGE: Record<LessonStepStatus, { label: string; cls: string }> = {
  done: { label: "done", cls: "bg-emerald-900/60 text-emerald-300" },
  current: { label: "now", cls: "bg-amber-900/60 text-amber-300" },
  todo: { label: "to do", cls: "bg-slate-800 text-slate-400" },
};

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="shrink-0 rounded border border-slate-700 px-2 py-0.5 text-xs text-slate-300 hover:border-slate-500"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
    >
      {copied ? "copied" : "copy"}
    </button>
  );
}

/**
 * The lesson's steps with their text and command. While `poll` is on it asks
 * /api/labs/:id/lesson-progress every few seconds; the current step is highlighted and opened.
 */
export function LessonSteps({
  labId,
  steps,
  poll,
  onProgress,
}: {
  labId: string | null;
  steps: LessonStepInfo[];
  poll: boolean;
  onProgress?: (p: LessonProgress) => void;
}) {
  const [progress, setProgress] = useState<LessonProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());

  useEffect(() => {
    if (!labId || !poll) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const p = await labApi<LessonProgress>(`/api/labs/${labId}/lesson-progress`, { method: "GET" });
        if (stopped) return;
        setProgress(p);
        setError(null);
        onProgress?.(p);
        if (p.complete) return;
      } catch (e) {
        if (!stopped) setError(e instanceof Error ? e.message : "Progress could not be read.");
      }
      if (!stopped) timer = setTimeout(() => void tick(), LESSON_POLL_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [labId, poll, onProgress]);

  const statusOf = (id: string, index: number): LessonStepStatus =>
    progress?.steps.find((s) => s.id === id)?.status ?? (index === 0 ? "current" : "todo");

  return (
    <section aria-label="Lesson steps" className="flex flex-col gap-3">
      <p className="text-xs text-slate-400" data-testid="lesson-count">
        {progress ? `${progress.done} of ${progress.total} steps done` : `${steps.length} steps`}
      </p>
      <ol className="flex flex-col gap-3">
        {steps.map((s, i) => {
          const status = statusOf(s.id, i);
          const message = progress?.steps.find((x) => x.id === s.id)?.message;
          const expanded = status === "current" || open.has(s.id);
          return (
            <li
              key={s.id}
              data-testid={`lesson-step-${s.id}`}
              data-status={status}
              aria-current={status === "current" ? "step" : undefined}
              className={`rounded-lg border p-3 ${status === "current" ? "border-amber-500 bg-slate-900" : "border-slate-800 bg-slate-900/60"}`}
            >
              <button
                type="button"
                className="flex w-full items-center gap-2 text-left"
                aria-expanded={expanded}
                onClick={() =>
                  setOpen((o) => {
                    const n = new Set(o);
                    if (n.has(s.id)) n.delete(s.id);
                    else n.add(s.id);
                    return n;
                  })
                }
              >
                <span className="text-sm text-slate-500">{i + 1}.</span>
                <span className="flex-1 font-medium text-slate-100">{s.title}</span>
                <span data-testid="lesson-step-status" className={`rounded px-2 py-0.5 text-xs ${BADGE[status].cls}`}>
                  {BADGE[status].label}
                </span>
              </button>
              {expanded && (
                <div className="mt-2 flex flex-col gap-2">
                  <div className="flex items-start gap-2 rounded bg-slate-950 px-3 py-2">
                    <code data-testid="lesson-step-command" className="flex-1 whitespace-pre-wrap break-all text-sm text-amber-200">
                      {s.command}
                    </code>
                    <CopyButton text={s.command} />
                  </div>
                  <MarkdownDoc text={s.text} label={`Step ${i + 1}`} />
                </div>
              )}
              {message && status !== "todo" && (
                <p data-testid="lesson-step-message" className={`mt-2 text-xs ${status === "done" ? "text-emerald-300" : "text-slate-400"}`}>
                  {message}
                </p>
              )}
            </li>
          );
        })}
      </ol>
      {error && (
        <p role="status" className="text-xs text-amber-400">
          {error}
        </p>
      )}
    </section>
  );
}
