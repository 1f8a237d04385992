import { logger } from "@/lib/logger";
import type { ExamDeps } from "./exam-deps";
import { WIPED_NOTES } from "./exam-notes";
import { expireExamAttempts } from "./expire-exam-attempts";

const FINAL_LAB = ["failed", "abandoned", "expired", "passed"];

/**
 * Starts the attempt's timer once one of its tasks is ready, never before: the learner must have
 * a cluster to work on when the clock runs. The deadline is the server's, scheduled here, so it
 * holds whether a browser is open or not. An attempt none of whose tasks could be prepared is
 * cancelled rather than left waiting.
 */
export async function startTimerWhenReady(deps: ExamDeps, attemptId: string): Promise<void> {
  const db = deps.labs.db;
  const attempt = await db.examAttempt.findUnique({ where: { id: attemptId }, include: { tasks: { include: { labSession: true } } } });
  if (!attempt || attempt.state !== "provisioning") return;
  const now = deps.labs.now();
  if (attempt.tasks.some((t) => t.labSession?.readyAt)) {
    const deadline = attempt.durationSeconds > 0 ? new Date(now.getTime() + attempt.durationSeconds * 1000) : null;
    const started = await db.examAttempt.updateMany({
      where: { id: attemptId, state: "provisioning" },
      data: { state: "running", timerStartedAt: now, deadline },
    });
    if (started.count && deadline) scheduleExpiry(deps, deadline);
    return;
  }
  if (attempt.tasks.every((t) => t.labSession && FINAL_LAB.includes(t.labSession.state))) {
    const failure = attempt.tasks.find((t) => t.labSession?.failureMessage)?.labSession?.failureMessage;
    await db.examAttempt.updateMany({
      where: { id: attemptId, state: "provisioning" },
      data: {
        state: "cancelled",
        submittedAt: now,
        ...WIPED_NOTES,
        failureMessage: `No task of this exam could be prepared, so its timer never started.${failure ? ` ${failure}` : ""}`,
      },
    });
  }
}

/** At the deadline, grade whatever has expired (this attempt among them). */
export function scheduleExpiry(deps: ExamDeps, deadline: Date): void {
  deps.schedule(deadline, () => {
    expireExamAttempts(deps).catch((err: unknown) => logger.error({ err }, "expiring exam attempts failed"));
  });
}
