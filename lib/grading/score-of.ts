import type { CheckOutcome } from "./run-checks";

export interface Grade {
  /** Points of passing checks minus hint costs, never below 0. */
  score: number;
  /** Points of all checks. */
  maxScore: number;
  hintPenalty: number;
  allPassed: boolean;
  passed: number;
  total: number;
}

/**
 * Score = points of passing checks − hint costs (floored at 0). Partial credit is the norm: every
 * passing check counts even when others fail.
 *
 * @example
 * scoreOf([{ id: "a", points: 5, ok: true, ... }, { id: "b", points: 3, ok: false, ... }], [1])
 * // → { score: 4, maxScore: 8, hintPenalty: 1, allPassed: false, passed: 1, total: 2 }
 */
export function scoreOf(outcomes: Pick<CheckOutcome, "ok" | "points">[], hintCosts: number[] = []): Grade {
  const maxScore = outcomes.reduce((n, o) => n + o.points, 0);
  const earned = outcomes.reduce((n, o) => n + (o.ok ? o.points : 0), 0);
  const hintPenalty = hintCosts.reduce((n, c) => n + c, 0);
  const passed = outcomes.filter((o) => o.ok).length;
  return {
    score: Math.max(0, earned - hintPenalty),
    maxScore,
    hintPenalty,
    allPassed: outcomes.length > 0 && passed === outcomes.length,
    passed,
    total: outcomes.length,
  };
}
