import { isLiveAttempt } from "./attempt-states";
import type { ExamMode } from "./define-exam";
import type { ExamDeps } from "./exam-deps";
import { loadOwnedAttempt } from "./load-owned-attempt";

export interface ExamTaskView {
  position: number;
  weight: number;
  flagged: boolean;
  title: string;
  domain: string;
  difficulty: string;
  /** The pack's suggested minutes. */
  minutes: number;
  /** Null while the task waits in the queue for its cluster. */
  labSessionId: string | null;
  /** queued, the live lab's state (provisioning, ready, checking), failed (never became ready), or graded. */
  status: string;
  /** Why the task's lab failed, if it did. */
  failure: string | null;
  /** The pack's solution.md: only in practice mode, once the task has been checked (solutionOpen). */
  solution: string | null;
}

/** Everything the exam page shows; plain data for the browser (no variant, no solution, no score). */
export interface ExamView {
  id: string;
  exam: { slug: string; title: string };
  mode: ExamMode;
  state: string;
  passPercent: number;
  startedAt: string;
  timerStartedAt: string | null;
  /** The server's deadline; null before the timer starts and in practice mode. */
  deadline: string | null;
  /** The server's clock when this view was made, so the page counts down from the server's time, not the browser's. */
  serverNow: string;
  remainingMs: number | null;
  /** Exam mode grades only at the end: no checks, hints or reset meanwhile (assert-lab-action.ts). */
  checksAllowed: boolean;
  hintsAllowed: boolean;
  resetAllowed: boolean;
  failureMessage: string | null;
  /** The learner's notepad; always empty once the attempt has ended (it is wiped then). */
  notes: string;
  tasks: ExamTaskView[];
}

/**
 * Practice mode shows a task's solution once the learner has checked it; timed and exam modes
 * keep every solution for the results page, after the attempt ends.
 */
export function solutionOpen(mode: ExamMode, checkedOnce: boolean): boolean {
  return mode === "practice" && checkedOnce;
}

export async function getExamView(deps: ExamDeps, attemptId: string, userId: string): Promise<ExamView> {
  const a = await loadOwnedAttempt(deps, attemptId, userId);
  const now = deps.labs.now();
  const mode = a.mode as ExamMode;
  const labIds = a.tasks.flatMap((t) => (t.labSessionId ? [t.labSessionId] : []));
  const checked =
    mode === "practice"
      ? new Set((await deps.labs.db.checkRun.findMany({ where: { labSessionId: { in: labIds } }, select: { labSessionId: true }, distinct: ["labSessionId"] })).map((r) => r.labSessionId))
      : new Set<string>();
  return {
    id: a.id,
    exam: { slug: a.exam.slug, title: a.exam.title },
    mode,
    state: a.state,
    passPercent: a.passPercent,
    startedAt: a.startedAt.toISOString(),
    timerStartedAt: a.timerStartedAt?.toISOString() ?? null,
    deadline: a.deadline?.toISOString() ?? null,
    serverNow: now.toISOString(),
    remainingMs: a.deadline ? Math.max(0, a.deadline.getTime() - now.getTime()) : null,
    checksAllowed: mode !== "exam",
    hintsAllowed: mode !== "exam",
    resetAllowed: mode !== "exam",
    failureMessage: a.failureMessage,
    notes: isLiveAttempt(a.state) ? a.notes : "",
    tasks: a.tasks.map((t) => {
      const scenario = deps.labs.findScenario(t.scenarioId);
      const pack = scenario?.pack;
      return {
        position: t.position,
        weight: t.weight,
        flagged: t.flagged,
        title: pack?.title ?? t.scenarioId,
        domain: pack?.domain ?? "unknown",
        difficulty: pack?.difficulty ?? "unknown",
        minutes: pack?.minutes ?? 0,
        labSessionId: t.labSessionId,
        status: statusOf(t.labSession),
        failure: t.labSession?.failureMessage ?? null,
        solution: scenario && solutionOpen(mode, t.labSessionId !== null && checked.has(t.labSessionId)) ? scenario.solution : null,
      };
    }),
  };
}

const LIVE_LAB = ["provisioning", "ready", "checking"];

function statusOf(lab: { state: string; readyAt: Date | null } | null): string {
  if (!lab) return "queued";
  if (LIVE_LAB.includes(lab.state)) return lab.state;
  // Ended after being worked on: the exam graded it (its pass or fail is for the results page).
  return lab.readyAt ? "graded" : "failed";
}
