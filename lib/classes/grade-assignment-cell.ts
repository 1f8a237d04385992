import type { Scoring } from "./assignment-input";

/** One attempt at an assigned pack (a practice lab) or blueprint (an exam attempt), as grading needs it. */
export interface AttemptFacts {
  /** The lab session's or exam attempt's id, for the instructor's link to it. */
  id: string;
  startedAt: Date;
  /** Set once the attempt is over (finished, given up, expired, submitted, timed out). */
  endedAt: Date | null;
  /** Still running: holds a cluster, or is being graded. */
  live: boolean;
  /** Score as a percentage of the attempt's maximum, once it has one. */
  scorePercent: number | null;
  passed: boolean;
}

export interface AssignmentPolicy {
  createdAt: Date;
  dueAt: Date | null;
  maxAttempts: number | null;
  scoring: Scoring | string;
}

export type CellStatus = "not-started" | "in-progress" | "passed" | "failed";

export interface CellResult {
  status: CellStatus;
  /** Attempts that count: started after the assignment was set, by its due date, up to its cap. */
  attemptsUsed: number;
  attemptsAllowed: number | null;
  /** Attempts started after the due date or past the cap: shown, never counted. */
  uncounted: number;
  scorePercent: number | null;
  /** The attempt whose result the cell shows (best or last by the policy). */
  resultAttemptId: string | null;
  /** The learner has used every attempt the assignment allows. */
  exhausted: boolean;
}

/**
 * A learner's result for one assignment. Attempts started before the assignment existed are
 * practice, not attempts; attempts after the due date are late and do not count (the cell says how
 * many there were). Of the counted, finished attempts, "best" shows the highest score (the first of
 * equals), "last" the one finished last; a passed attempt makes the cell passed.
 */
export function gradeAssignmentCell(policy: AssignmentPolicy, attempts: readonly AttemptFacts[]): CellResult {
  const mine = attempts.filter((a) => a.startedAt.getTime() >= policy.createdAt.getTime()).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  const onTime = mine.filter((a) => !policy.dueAt || a.startedAt.getTime() <= policy.dueAt.getTime());
  const counted = policy.maxAttempts === null ? onTime : onTime.slice(0, policy.maxAttempts);
  const finished = counted.filter((a) => !a.live && a.endedAt !== null);
  let shown: AttemptFacts | undefined;
  if (policy.scoring === "last") {
    shown = [...finished].sort((a, b) => b.endedAt!.getTime() - a.endedAt!.getTime())[0];
  } else {
    for (const a of finished) if (!shown || (a.scorePercent ?? 0) > (shown.scorePercent ?? 0)) shown = a;
  }
  const status: CellStatus = shown?.passed
    ? "passed"
    : counted.some((a) => a.live)
      ? "in-progress"
      : shown
        ? "failed"
        : "not-started";
  return {
    status,
    attemptsUsed: counted.length,
    attemptsAllowed: policy.maxAttempts,
    uncounted: mine.length - counted.length,
    scorePercent: shown ? (shown.scorePercent ?? 0) : null,
    resultAttemptId: shown?.id ?? null,
    exhausted: policy.maxAttempts !== null && counted.length >= policy.maxAttempts,
  };
}
