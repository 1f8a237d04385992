import { logger } from "@/lib/logger";
import { resetLab } from "@/lib/labs/reset-lab";
import { onShutdown } from "@/lib/server/shutdown";
import type { ExamDeps } from "./exam-deps";
import { gradeExamAttempt } from "./end-exam-attempt";
import { expireExamAttempts } from "./expire-exam-attempts";
import { provisionExamTasks } from "./provision-exam-tasks";
import { scheduleExpiry, startTimerWhenReady } from "./start-timer-when-ready";

/**
 * After lib/labs' own housekeeping at start-up (so tasks' labs are re-attached or failed first):
 * attempts whose time ran out while the server was down are graded, grading a restart
 * interrupted is finished, tasks never prepared are queued again, tasks whose preparation the
 * restart interrupted are prepared again, and every running attempt's deadline is scheduled. A
 * sweep every `sweepMs` backs up the timers and starts those of attempts whose task got ready
 * outside the queue (prepared again). Never throws.
 */
export async function startExamHousekeeping(deps: ExamDeps, opts: { sweepMs?: number } = {}): Promise<void> {
  const log = logger.child({ component: "exams" });
  const db = deps.labs.db;
  try {
    const expired = await expireExamAttempts(deps);
    const grading = await db.examAttempt.findMany({ where: { state: "grading" }, select: { id: true } });
    for (const a of grading) await gradeExamAttempt(deps, a.id);
    const live = await db.examAttempt.findMany({
      where: { state: { in: ["provisioning", "running"] } },
      include: { tasks: { include: { labSession: true } } },
    });
    for (const a of live) {
      for (const t of a.tasks) {
        if (t.labSession?.state !== "failed" || t.labSession.readyAt) continue;
        await resetLab(deps.labs, t.labSession.id, a.userId).catch((err: unknown) => log.warn({ err, task: t.position }, "could not prepare an exam task again"));
      }
      void provisionExamTasks(deps, a.id);
      if (a.state === "provisioning") await startTimerWhenReady(deps, a.id);
      else if (a.deadline) scheduleExpiry(deps, a.deadline);
    }
    if (expired.length + grading.length + live.length) log.info({ expired, regraded: grading.length, live: live.length }, "exam attempts after restart");
  } catch (err) {
    log.error({ err }, "exam housekeeping at start failed");
  }
  const timer = setInterval(() => void sweepExamAttempts(deps), opts.sweepMs ?? 15_000);
  timer.unref();
  onShutdown("exam housekeeping", () => clearInterval(timer));
}

/** Ends what has expired and starts the timer of attempts waiting for a task that is ready now. */
export async function sweepExamAttempts(deps: ExamDeps): Promise<void> {
  try {
    await expireExamAttempts(deps);
    const waiting = await deps.labs.db.examAttempt.findMany({ where: { state: "provisioning" }, select: { id: true } });
    for (const a of waiting) await startTimerWhenReady(deps, a.id);
  } catch (err) {
    logger.error({ err, component: "exams" }, "exam sweep failed");
  }
}
