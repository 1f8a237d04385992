import { ConflictError, InputError } from "@/lib/errors";
import type { ExamDeps } from "./exam-deps";
import { loadOwnedAttempt } from "./load-owned-attempt";

/** How often the exam page says which task is open (components/exam/use-task-focus.ts). */
export const FOCUS_BEAT_MS = 10_000;
/**
 * A gap longer than this between two beats is not credited to anyone: the page was closed, the
 * laptop slept or the network dropped, and nobody knows what the learner did meanwhile.
 */
export const FOCUS_MAX_GAP_MS = 3 * FOCUS_BEAT_MS;

export interface FocusBeat {
  at: Date;
  /** The task open on the page; null when no task is (page hidden or closed). */
  position: number | null;
}

/**
 * The time to credit when a beat arrives: the interval since the previous beat belongs to the
 * task the previous beat named (that was the task on screen meanwhile), measured on the server's
 * clock so a page cannot claim more time than passed. Nothing for a first beat, a beat after
 * "no task", a clock that went backwards, or a gap too long to vouch for.
 */
export function creditFocus(prev: FocusBeat | null, beat: Pick<FocusBeat, "at">, maxGapMs = FOCUS_MAX_GAP_MS): { position: number; ms: number } | null {
  if (!prev || prev.position === null) return null;
  const ms = beat.at.getTime() - prev.at.getTime();
  if (ms <= 0 || ms > maxGapMs) return null;
  return { position: prev.position, ms };
}

/** The time worked on a task against its pack's target minutes. */
export function timeAgainstTarget(activeMs: number, minutes: number): { percent: number | null; over: boolean } {
  if (minutes <= 0) return { percent: null, over: false };
  const percent = Math.round((activeMs / (minutes * 60_000)) * 100);
  return { percent, over: activeMs > minutes * 60_000 };
}

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
