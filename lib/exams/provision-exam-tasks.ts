import { logger } from "@/lib/logger";
import { initialProgress, publishProgress } from "@/lib/labs/lab-progress";
import { provisionLab } from "@/lib/labs/provision-lab";
import { processSingleton } from "@/lib/process-singleton";
import type { ExamDeps } from "./exam-deps";
import { startTimerWhenReady } from "./start-timer-when-ready";

// Tasks queued or being prepared in this process, so a second call (start, then housekeeping) never doubles one.
const queued = () => processSingleton("exam-tasks-queued", () => new Set<string>());

/**
 * Queues every task of the attempt that has no lab session yet, in position order, through the
 * bounded queue. Each gets a lab session of the attempt and is prepared by lib/labs like any
 * lab; after each, the timer starts if a task is ready. Returns once all are queued; never throws.
 */
export function provisionExamTasks(deps: ExamDeps, attemptId: string): Promise<void> {
  const log = logger.child({ examAttemptId: attemptId });
  return (async () => {
    const attempt = await deps.labs.db.examAttempt.findUnique({
      where: { id: attemptId },
      include: { tasks: { where: { labSessionId: null }, orderBy: { position: "asc" } } },
    });
    if (!attempt) return;
    const jobs = attempt.tasks
      .filter((t) => !queued().has(t.id))
      .map((task) => {
        queued().add(task.id);
        return deps.queue
          .run(() => prepareTask(deps, attempt.userId, attemptId, task))
          .catch((err: unknown) => log.error({ err, task: task.position }, "could not prepare an exam task"))
          .finally(() => queued().delete(task.id));
      });
    await Promise.all(jobs);
  })().catch((err: unknown) => log.error({ err }, "could not queue the exam's tasks"));
}

async function prepareTask(
  deps: ExamDeps,
  userId: string,
  attemptId: string,
  task: { id: string; scenarioId: string; variantId: string },
): Promise<void> {
  const db = deps.labs.db;
  // The attempt may have ended while this task waited in the queue.
  const attempt = await db.examAttempt.findUnique({ where: { id: attemptId }, select: { state: true } });
  if (attempt?.state !== "provisioning" && attempt?.state !== "running") return;
  const scenario = deps.labs.findScenario(task.scenarioId);
  const variant = scenario?.pack.variants.find((v) => v.id === task.variantId);
  if (!scenario || !variant) {
    logger.error({ examAttemptId: attemptId, scenario: task.scenarioId }, "an exam task's pack or variant is no longer installed");
    return;
  }
  const driver = await deps.labs.driver();
  const now = deps.labs.now();
  const session = await db.labSession.create({
    data: {
      userId,
      scenarioId: task.scenarioId,
      variantId: task.variantId,
      driver: driver.name,
      state: "provisioning",
      provisionStep: "cluster",
      startedAt: now,
      lastActivityAt: now,
      examAttemptId: attemptId,
    },
  });
  const linked = await db.examTask.updateMany({ where: { id: task.id, labSessionId: null }, data: { labSessionId: session.id } });
  if (linked.count === 0) {
    await db.labSession.delete({ where: { id: session.id } });
    return;
  }
  publishProgress(initialProgress(session.id, driver.label));
  await provisionLab(deps.labs, { labSessionId: session.id, driver, pack: scenario.pack, variant });
  await startTimerWhenReady(deps, attemptId);
}
