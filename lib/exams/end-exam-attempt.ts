import { ConflictError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { finishLab, giveUpLab } from "@/lib/labs/end-lab";
import type { ExamDeps } from "./exam-deps";
import { WIPED_NOTES } from "./exam-notes";
import { parseAttemptDetail, scoreAttempt, type EndReason } from "./exam-result";
import { closeTaskFocus } from "./task-focus";

/** How long grading waits for a learner's own check, running when time ran out, to finish. */
const CHECK_WAIT_MS = 180_000;

/**
 * Ends an attempt (the learner submitted, or its deadline passed) and grades it. Only one caller
 * wins the move to `grading` (compare-and-set), so a submit racing the timer grades once.
 * Returns whether this call ended it.
 */
export async function endExamAttempt(deps: ExamDeps, attemptId: string, reason: EndReason): Promise<boolean> {
  const now = deps.labs.now();
  const claimed = await deps.labs.db.examAttempt.updateMany({
    where:
      reason === "submitted"
        ? { id: attemptId, state: { in: ["provisioning", "running"] } }
        : { id: attemptId, state: "running", deadline: { lte: now } },
    data: { state: "grading", submittedAt: now, detail: JSON.stringify({ endReason: reason }), ...WIPED_NOTES },
  });
  if (claimed.count === 0) return false;
  await closeTaskFocus(deps, attemptId, now);
  await gradeExamAttempt(deps, attemptId);
  return true;
}

/**
 * Grades an attempt in `grading`: every task's cluster is checked one last time and released
 * (lib/labs' finish), tasks still being prepared are given up, then the weighted score is
 * recorded. Safe to run again after a restart interrupted it: finished labs are skipped.
 */
export async function gradeExamAttempt(deps: ExamDeps, attemptId: string): Promise<void> {
  const db = deps.labs.db;
  const log = logger.child({ examAttemptId: attemptId });
  const attempt = await db.examAttempt.findUnique({ where: { id: attemptId }, include: { tasks: { orderBy: { position: "asc" } } } });
  if (!attempt || attempt.state !== "grading") return;
  for (const task of attempt.tasks) {
    if (!task.labSessionId) continue;
    const labId = task.labSessionId;
    try {
      const state = await settledLabState(deps, labId);
      if (state === "ready") await finishLab(deps.labs, labId, attempt.userId);
      else if (state === "provisioning") await giveUpLab(deps.labs, labId, attempt.userId);
    } catch (err) {
      // A task that cannot be graded keeps its last recorded score; the attempt must still end.
      log.warn({ err, task: task.position }, err instanceof ConflictError ? err.message : "grading an exam task failed");
    }
  }
  const graded = await db.examAttempt.findUniqueOrThrow({
    where: { id: attemptId },
    include: { tasks: { include: { labSession: true }, orderBy: { position: "asc" } } },
  });
  const score = scoreAttempt(deps.labs, graded);
  const reason = parseAttemptDetail(graded.detail).endReason ?? "submitted";
  await db.examAttempt.updateMany({
    where: { id: attemptId, state: "grading" },
    data: {
      state: reason,
      gradedAt: deps.labs.now(),
      score: Math.round(score.weighted.score),
      maxScore: score.weighted.max,
      passed: score.passed,
      detail: JSON.stringify({ endReason: reason, score }),
      ...WIPED_NOTES,
    },
  });
  log.info({ reason, percent: score.weighted.percent, passed: score.passed }, "exam attempt graded");
}

/** The lab's state once no check of the learner's is running (bounded wait). */
async function settledLabState(deps: ExamDeps, labSessionId: string): Promise<string | undefined> {
  const until = Date.now() + CHECK_WAIT_MS;
  for (;;) {
    const s = await deps.labs.db.labSession.findUnique({ where: { id: labSessionId }, select: { state: true } });
    if (s?.state !== "checking") return s?.state;
    if (Date.now() > until) throw new ConflictError(`gave up after ${CHECK_WAIT_MS / 1000} s waiting for a running check to finish`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
