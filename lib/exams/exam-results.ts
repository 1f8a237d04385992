import { ConflictError } from "@/lib/errors";
import { toRecordingView, type RecordingView } from "@/lib/labs/lab-results";
import { toCheckRunView, type CheckRunView } from "@/lib/labs/lab-view";
import { isLiveAttempt } from "./attempt-states";
import type { ExamMode } from "./define-exam";
import type { ExamDeps } from "./exam-deps";
import { parseAttemptDetail, scoreAttempt } from "./exam-result";
import { loadOwnedAttempt } from "./load-owned-attempt";
import type { ExamScore } from "./score-exam";

export interface ExamTaskResult {
  position: number;
  weight: number;
  title: string;
  domain: string;
  difficulty: string;
  minutes: number;
  labSessionId: string | null;
  labState: string;
  score: number;
  maxScore: number;
  /** Percent points of the exam this task earned (of its weight). */
  weighted: number;
  /** From the task's cluster being ready to the end of the attempt, in ms; null if it never was. */
  elapsedMs: number | null;
  /** Time the task was the one open on the exam page (lib/exams/task-focus.ts), in ms. */
  activeMs: number;
  /** The pack's solution.md: the attempt has ended. */
  solution: string | null;
  /** The terminals opened on the task's cluster, for replay. */
  recordings: RecordingView[];
  /** The final check, per check with actual vs expected. */
  finalCheck: CheckRunView | null;
}

/** The results page of an ended attempt. Only now are the tasks' solutions (lab results pages) open. */
export interface ExamResults {
  id: string;
  exam: { slug: string; title: string };
  mode: ExamMode;
  state: string;
  failureMessage: string | null;
  endReason: string | null;
  score: ExamScore;
  timerStartedAt: string | null;
  submittedAt: string | null;
  tasks: ExamTaskResult[];
}

export async function getExamResults(deps: ExamDeps, attemptId: string, userId: string): Promise<ExamResults> {
  const a = await loadOwnedAttempt(deps, attemptId, userId);
  if (isLiveAttempt(a.state)) throw new ConflictError("This exam is still running.", { hint: "Submit it, or wait for its time to run out." });
  const detail = parseAttemptDetail(a.detail);
  const labIds = a.tasks.flatMap((t) => (t.labSessionId ? [t.labSessionId] : []));
  const runs = await deps.labs.db.checkRun.findMany({ where: { labSessionId: { in: labIds } }, orderBy: { createdAt: "asc" } });
  const lastRun = new Map(runs.map((r) => [r.labSessionId, r]));
  const recordings = await deps.labs.db.terminalRecording.findMany({ where: { labSessionId: { in: labIds } }, orderBy: { startedAt: "asc" } });
  const score = detail.score ?? scoreAttempt(deps.labs, a);
  const end = a.submittedAt ?? deps.labs.now();
  return {
    id: a.id,
    exam: { slug: a.exam.slug, title: a.exam.title },
    mode: a.mode as ExamMode,
    state: a.state,
    failureMessage: a.failureMessage,
    endReason: detail.endReason ?? null,
    score,
    timerStartedAt: a.timerStartedAt?.toISOString() ?? null,
    submittedAt: a.submittedAt?.toISOString() ?? null,
    tasks: a.tasks.map((t) => {
      const scenario = deps.labs.findScenario(t.scenarioId);
      const pack = scenario?.pack;
      const packMax = pack?.checks.reduce((n, c) => n + c.points, 0) ?? 0;
      const lab = t.labSession;
      const maxScore = lab && lab.maxScore > 0 ? lab.maxScore : packMax;
      const s = lab && lab.maxScore > 0 ? lab.score : 0;
      const run = t.labSessionId ? lastRun.get(t.labSessionId) : undefined;
      return {
        position: t.position,
        weight: t.weight,
        title: pack?.title ?? t.scenarioId,
        domain: pack?.domain ?? "unknown",
        difficulty: pack?.difficulty ?? "unknown",
        minutes: pack?.minutes ?? 0,
        labSessionId: t.labSessionId,
        labState: lab?.state ?? "never prepared",
        score: s,
        maxScore,
        weighted: maxScore > 0 ? Math.round(((t.weight * Math.min(s, maxScore)) / maxScore) * 10) / 10 : 0,
        elapsedMs: lab?.readyAt ? Math.max(0, (lab.endedAt ?? end).getTime() - lab.readyAt.getTime()) : null,
        activeMs: t.activeMs,
        solution: scenario?.solution ?? null,
        recordings: recordings.filter((r) => r.labSessionId === t.labSessionId).map(toRecordingView),
        finalCheck: run ? toCheckRunView(run) : null,
      };
    }),
  };
}
