export interface TaskScore {
  weight: number;
  domain: string;
  difficulty: string;
  /** Points the task's last graded check gave (after hint costs). */
  score: number;
  /** Points the task can give; 0 only for a pack with no checks. */
  maxScore: number;
}

export interface ScoreLine {
  /** Weighted: percent points earned of `max` (task weights); raw: check points. */
  score: number;
  max: number;
  percent: number;
}

export interface ExamScore {
  /** Each task counts its weight times the share of its points earned. */
  weighted: ScoreLine;
  /** Check points over all tasks, regardless of weight. */
  raw: ScoreLine;
  passPercent: number;
  passed: boolean;
  byDomain: ({ domain: string } & ScoreLine)[];
  byDifficulty: ({ difficulty: string } & ScoreLine)[];
}

const line = (score: number, max: number): ScoreLine => ({
  score: round1(score),
  max,
  percent: max > 0 ? round1((score / max) * 100) : 0,
});

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function earned(t: TaskScore): number {
  return t.maxScore > 0 ? (t.weight * Math.min(t.score, t.maxScore)) / t.maxScore : 0;
}

function groupBy<K extends "domain" | "difficulty">(tasks: readonly TaskScore[], key: K): ({ [P in K]: string } & ScoreLine)[] {
  const groups = new Map<string, TaskScore[]>();
  for (const t of tasks) groups.set(t[key], [...(groups.get(t[key]) ?? []), t]);
  return [...groups].map(([k, ts]) => ({
    [key]: k,
    ...line(
      ts.reduce((n, t) => n + earned(t), 0),
      ts.reduce((n, t) => n + t.weight, 0),
    ),
  })) as ({ [P in K]: string } & ScoreLine)[];
}

/**
 * The score of an attempt. Pass/fail compares the unrounded weighted percent with the mark, so
 * 65.96 % does not pass a 66 % mark even though it displays as 66.0 %.
 */
export function scoreExam(tasks: readonly TaskScore[], passPercent: number): ExamScore {
  const weightedEarned = tasks.reduce((n, t) => n + earned(t), 0);
  const totalWeight = tasks.reduce((n, t) => n + t.weight, 0);
  const exactPercent = totalWeight > 0 ? (weightedEarned / totalWeight) * 100 : 0;
  return {
    weighted: line(weightedEarned, totalWeight),
    raw: line(
      tasks.reduce((n, t) => n + Math.min(t.score, t.maxScore), 0),
      tasks.reduce((n, t) => n + t.maxScore, 0),
    ),
    passPercent,
    passed: exactPercent >= passPercent,
    byDomain: groupBy(tasks, "domain"),
    byDifficulty: groupBy(tasks, "difficulty"),
  };
}
