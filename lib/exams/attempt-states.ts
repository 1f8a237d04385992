/**
 * Exam attempt states. provisioning (no timer yet: the first task's cluster is being prepared)
 * → running (the timer runs) → grading (time is up or the learner submitted) → submitted |
 * timed-out. cancelled: no task could be prepared, so the attempt never started.
 */
export const ATTEMPT_STATES = ["provisioning", "running", "grading", "submitted", "timed-out", "cancelled"] as const;
export type AttemptState = (typeof ATTEMPT_STATES)[number];

/** States in which the attempt still owns clusters. */
export const LIVE_ATTEMPT_STATES: readonly AttemptState[] = ["provisioning", "running", "grading"];

export function isLiveAttempt(state: string): boolean {
  return (LIVE_ATTEMPT_STATES as readonly string[]).includes(state);
}

/** Warnings the exam page gives before time is up, in minutes left. */
export const TIME_WARNINGS_MINUTES = [30, 15, 5] as const;
