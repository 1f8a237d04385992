import { ConflictError, InputError } from "@/lib/errors";
import type { ExamDeps } from "./exam-deps";
import { creditFocus, type FocusBeat } from "./credit-focus";
import { loadOwnedAttempt } from "./load-owned-attempt";

/**
 * Records a beat of the exam page (which task is open now) while the attempt runs, crediting the
 * interval since the last beat to the task open then. The swap of the last beat is a
 * compare-and-set on its time, so two beats at once (two tabs) credit an interval once.
 */
export async function recordTaskFocus(deps: ExamDeps, attemptId: string, userId: string, position: number | null): Promise<void> {
  const a = await loadOwnedAttempt(deps, attemptId, userId);
  if (a.state !== "running") throw new ConflictError("This exam is not running.", { hint: "Time counts only while the exam runs." });
  if (position !== null && !a.tasks.some((t) => t.position === position)) throw new InputError(`This exam has no task number ${position + 1}.`);
  const now = deps.labs.now();
  const prev = a.focusAt ? { at: a.focusAt, position: a.focusPosition } : null;
  await swapFocus(deps, a.id, prev, { at: now, position }, true);
}

/** When the attempt ends: the last interval goes to the task that was open, and the beat is cleared. */
export async function closeTaskFocus(deps: ExamDeps, attemptId: string, at: Date): Promise<void> {
  const a = await deps.labs.db.examAttempt.findUnique({ where: { id: attemptId }, select: { focusAt: true, focusPosition: true } });
  if (!a?.focusAt) return;
  await swapFocus(deps, attemptId, { at: a.focusAt, position: a.focusPosition }, { at, position: null });
}

/** `whileRunning`: a beat that arrives as the attempt ends loses the race to the end's own close. */
async function swapFocus(deps: ExamDeps, attemptId: string, prev: FocusBeat | null, beat: FocusBeat, whileRunning = false): Promise<void> {
  const db = deps.labs.db;
  const credit = creditFocus(prev, beat);
  const swapped = await db.examAttempt.updateMany({
    where: { id: attemptId, focusAt: prev?.at ?? null, ...(whileRunning ? { state: "running" } : {}) },
    data: { focusAt: beat.at, focusPosition: beat.position },
  });
  // Whoever swapped the beat credits its interval; a crash between the two loses at most one gap.
  if (swapped.count === 0 || !credit) return;
  await db.examTask.updateMany({ where: { attemptId, position: credit.position }, data: { activeMs: { increment: credit.ms } } });
}
