"use client";

import type { ExamTaskView } from "@/lib/exams/exam-view";

const STATUS_TEXT: Record<string, string> = {
  queued: "waiting for a cluster",
  provisioning: "preparing its cluster",
  ready: "ready",
  checking: "checking",
  failed: "could not be prepared",
  graded: "graded",
};

/** Every task with its weight, its cluster's status and its flag; pick one to work on. */
export function ExamNavigator({
  tasks,
  current,
  onSelect,
  onFlag,
}: {
  tasks: ExamTaskView[];
  current: number;
  onSelect: (position: number) => void;
  onFlag: (position: number, flagged: boolean) => void;
}) {
  return (
    <nav aria-label="Tasks" className="flex flex-col gap-1">
      {tasks.map((t) => (
        <div
          key={t.position}
          data-testid={`exam-task-${t.position + 1}`}
          data-status={t.status}
          data-flagged={t.flagged}
          className={`flex items-center gap-2 rounded border px-2 py-1.5 text-sm ${t.position === current ? "border-amber-500 bg-slate-900" : "border-slate-800"}`}
        >
          <button type="button" onClick={() => onSelect(t.position)} className="flex-1 text-left" aria-current={t.position === current ? "step" : undefined}>
            <span className="font-medium">Task {t.position + 1}</span> <span className="text-slate-400">· {t.weight} %</span>
            <span className="block text-xs text-slate-400">
              {t.title} · {STATUS_TEXT[t.status] ?? t.status}
            </span>
          </button>
          <button
            type="button"
            aria-pressed={t.flagged}
            aria-label={`${t.flagged ? "Unflag" : "Flag"} task ${t.position + 1}`}
            onClick={() => onFlag(t.position, !t.flagged)}
            className={`rounded px-1.5 py-0.5 text-xs ${t.flagged ? "bg-amber-600 text-white" : "border border-slate-700 text-slate-400 hover:text-slate-200"}`}
          >
            {t.flagged ? "⚑ flagged" : "⚐ flag"}
          </button>
        </div>
      ))}
    </nav>
  );
}
