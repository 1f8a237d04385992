import { assertAttemptAllowed } from "@/lib/classes/assert-attempt-allowed";
import { ConflictError, InputError, NotFoundError, UnavailableError } from "@/lib/errors";
import { EXAM_MODES, type ExamMode } from "./define-exam";
import { LIVE_ATTEMPT_STATES } from "./attempt-states";
import { drawTasks } from "./draw-tasks";
import type { ExamDeps } from "./exam-deps";
import { provisionExamTasks } from "./provision-exam-tasks";

export interface StartExamInput {
  userId: string;
  exam: string;
  /** One of the blueprint's modes; its first when absent. */
  mode?: ExamMode;
}

/**
 * Starts an attempt: draws its tasks (seeded, so the draw is on record), persists them, and
 * queues their clusters, the first task first. Answers at once; the timer starts only when a
 * task's cluster is ready (provision-exam-tasks.ts). A learner has one live attempt at a time:
 * the same exam resumes it, another is refused.
 */
export async function startExamAttempt(deps: ExamDeps, input: StartExamInput): Promise<{ id: string; resumed: boolean }> {
  const exam = deps.findExam(input.exam);
  if (!exam) throw new NotFoundError(`There is no exam "${input.exam}".`, { hint: "Pick one from the exams page." });
  const b = exam.blueprint;
  const mode = input.mode ?? b.modes[0]!;
  if (!b.modes.includes(mode)) {
    throw new InputError(`"${b.title}" cannot be taken in ${mode} mode.`, { hint: `It offers ${b.modes.join(", ")} (of ${EXAM_MODES.join(", ")}).` });
  }
  const db = deps.labs.db;
  const live = await db.examAttempt.findFirst({
    where: { userId: input.userId, state: { in: [...LIVE_ATTEMPT_STATES] } },
    include: { exam: true },
    orderBy: { startedAt: "desc" },
  });
  if (live) {
    if (live.exam.slug === exam.slug) return { id: live.id, resumed: true };
    throw new ConflictError(`You are already taking "${live.exam.title}".`, { hint: "Submit it, or let its time run out, before starting another exam." });
  }
  await assertAttemptAllowed(db, input.userId, "exam", exam.slug, deps.labs.now());
  const driver = await deps.labs.driver();
  const avail = await driver.available();
  if (!avail.ok) {
    throw new UnavailableError(
      `The ${driver.label} cannot be used on this machine${avail.missing.length ? ` (missing: ${avail.missing.join(", ")})` : ""}.`,
      { hint: "Run breakfix with BREAKFIX_DRIVER=sim to take exams on the simulated cluster, or check the server log." },
    );
  }
  const seed = b.seed.policy === "fixed" ? b.seed.value : deps.newSeed();
  const tasks = drawTasks(b, deps.pool(), seed);
  const fields = { title: b.title, minutes: b.minutes, passPercent: b.passPercent, tasks: JSON.stringify(b.tasks) };
  const examRow = await db.exam.upsert({ where: { slug: exam.slug }, create: { slug: exam.slug, ...fields }, update: fields });
  const attempt = await db.examAttempt.create({
    data: {
      examId: examRow.id,
      userId: input.userId,
      mode,
      seed,
      passPercent: b.passPercent,
      durationSeconds: mode === "practice" ? 0 : (deps.durationOverrideSeconds ?? b.minutes * 60),
      state: "provisioning",
      startedAt: deps.labs.now(),
      tasks: { create: tasks.map((t) => ({ position: t.position, scenarioId: t.scenarioId, variantId: t.variantId, weight: t.weight })) },
    },
  });
  provisionExamTasks(deps, attempt.id);
  return { id: attempt.id, resumed: false };
}
