"use client";

import { useCallback, useEffect, useState } from "react";
import { CheckButton } from "@/components/lab/check-button";
import { CheckResults } from "@/components/lab/check-results";
import { ErrorNote } from "@/components/lab/error-note";
import { HintDrawer } from "@/components/lab/hint-drawer";
import { LabApiError, labApi } from "@/components/lab/lab-api";
import { MarkdownDoc } from "@/components/lab/markdown";
import { ProvisionProgress } from "@/components/lab/provision-progress";
import { TerminalArea } from "@/components/lab/terminal-area";
import type { ExamMode } from "@/lib/exams/define-exam";
import type { ExamTaskView, ExamView } from "@/lib/exams/exam-view";
import type { GradeOutcome } from "@/lib/labs/lab-deps";
import type { HintView, LabView } from "@/lib/labs/lab-view";

/**
 * One task: its brief beside its node terminals, from the lab workspace's own components. The
 * exam page keeps every opened task mounted (hidden when another is shown), so jumping between
 * tasks keeps each terminal's session. Checks and hints only where the mode allows them.
 */
/** The brief is written for every mode ("check your work"); the page says how that is done in this one. */
const INSTRUCTIONS: Record<ExamMode, string> = {
  exam: "Exam mode: there is no Check. Every task is checked once, when you submit or the time runs out.",
  timed: "Press Check as often as you like (hints cost points). When you submit or the time runs out, every task is checked once more, and that check counts.",
  practice: "Press Check as often as you like; once you have, this task's solution opens below. Submit when you are done.",
};

export function ExamTaskPanel({ task, exam, visible }: { task: ExamTaskView; exam: Pick<ExamView, "checksAllowed" | "hintsAllowed" | "mode">; visible: boolean }) {
  const labId = task.labSessionId;
  const [lab, setLab] = useState<LabView | null>(null);
  const [loads, setLoads] = useState(0);
  const load = useCallback(() => setLoads((n) => n + 1), []);
  // Loaded again whenever the task's status changes (provisioning → ready) or progress settles.
  useEffect(() => {
    if (!labId) return;
    let stale = false;
    labApi<LabView>(`/api/labs/${labId}`, { method: "GET" }).then(
      (v) => {
        if (!stale) setLab(v);
      },
      () => undefined, // the navigator's status still says where the task is; the next change tries again
    );
    return () => {
      stale = true;
    };
  }, [labId, task.status, loads]);

  const onChecked = (g: GradeOutcome) =>
    setLab((v) =>
      v && {
        ...v,
        score: g.score,
        maxScore: g.maxScore,
        lastCheck: { id: g.checkRunId, createdAt: new Date().toISOString(), score: g.score, maxScore: g.maxScore, hintPenalty: g.hintPenalty, allPassed: g.allPassed, durationMs: g.durationMs, results: g.results },
      },
    );
  const [prepareError, setPrepareError] = useState<{ message: string; hint?: string } | null>(null);
  // A cluster that could not be prepared is prepared again on request, in every mode (nothing was worked on yet).
  const prepareAgain = () => {
    if (!lab) return;
    setPrepareError(null);
    labApi(`/api/labs/${lab.id}/reset`).then(load, (e: unknown) => setPrepareError(e instanceof LabApiError ? e : { message: "The task could not be prepared again." }));
  };
  const onRevealed = (h: HintView) => setLab((v) => v && { ...v, hints: v.hints.map((x) => (x.index === h.index ? h : x)) });

  return (
    <section hidden={!visible} aria-label={`Task ${task.position + 1}`} data-testid="exam-task-panel" data-position={task.position} className="min-w-0">
      {!labId || !lab ? (
        <p className="text-sm text-slate-400">This task is waiting for its cluster; the others are prepared first or alongside.</p>
      ) : lab.state === "provisioning" || (lab.state === "failed" && !lab.readyAt) ? (
        <div className="flex flex-col gap-3">
          <ProvisionProgress key={lab.state} labId={lab.id} initial={lab.progress} onSettled={load} />
          {lab.state === "failed" && (
            <button type="button" onClick={prepareAgain} className="self-start rounded border border-slate-700 px-3 py-1.5 text-sm hover:border-slate-500">
              Prepare this task again
            </button>
          )}
          <ErrorNote error={prepareError} />
          <details className="max-w-xl rounded border border-slate-800 bg-slate-900 px-4 py-2 text-sm">
            <summary className="cursor-pointer text-slate-300">Read the brief while you wait</summary>
            <MarkdownDoc text={lab.brief} label="Brief" />
          </details>
        </div>
      ) : (
        <div className="grid gap-4 lg:grid-cols-[minmax(320px,2fr)_3fr]">
          <div className="flex flex-col gap-4 min-w-0">
            <header>
              <h2 className="text-lg font-semibold">
                Task {task.position + 1}: {lab.scenario.title}
              </h2>
              <p className="text-xs text-slate-400">
                {task.weight} % of the exam · {lab.scenario.domain} · {lab.scenario.difficulty} · about {lab.scenario.minutes} min · {lab.driverLabel}
              </p>
            </header>
            <section className="rounded-lg border border-slate-800 bg-slate-900 p-4 max-h-[55vh] overflow-y-auto">
              <MarkdownDoc text={lab.brief} label="Brief" />
            </section>
            <p data-testid="exam-task-instructions" data-mode={exam.mode} className="text-sm text-slate-300">
              {INSTRUCTIONS[exam.mode]}
            </p>
            {exam.checksAllowed && <CheckButton labId={lab.id} onChecked={onChecked} />}
            {/* Not live: a task of an exam has no Finish of its own, so the "press Finish" line would mislead. */}
            {exam.checksAllowed && lab.lastCheck && <CheckResults run={lab.lastCheck} live={false} />}
            {exam.hintsAllowed && <HintDrawer labId={lab.id} hints={lab.hints} onRevealed={onRevealed} />}
            {task.solution !== null && (
              <details data-testid="exam-task-solution" className="rounded-lg border border-slate-800 bg-slate-900 px-4 py-2 text-sm">
                <summary className="cursor-pointer text-slate-300">Solution (practice mode: open once you have checked)</summary>
                <MarkdownDoc text={task.solution} label="Solution text" />
              </details>
            )}
          </div>
          <div className="min-w-0">{lab.nodes.length > 0 && <TerminalArea labId={lab.id} nodes={lab.nodes} />}</div>
        </div>
      )}
    </section>
  );
}
