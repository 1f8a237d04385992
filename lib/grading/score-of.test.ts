import { describe, expect, it } from "vitest";
import { scoreOf } from "./score-of";

describe("scoreOf", () => {
  it("gives partial credit: points of passing checks minus hint costs", () => {
    const g = scoreOf([{ ok: true, points: 5 }, { ok: false, points: 3 }, { ok: true, points: 2 }], [1, 2]);
    expect(g).toEqual({ score: 4, maxScore: 10, hintPenalty: 3, allPassed: false, passed: 2, total: 3 });
  });

  it("never goes below zero", () => {
    expect(scoreOf([{ ok: false, points: 5 }], [4, 4]).score).toBe(0);
  });

  it("calls it all passed only when every check passed", () => {
    expect(scoreOf([{ ok: true, points: 5 }, { ok: true, points: 1 }]).allPassed).toBe(true);
    expect(scoreOf([]).allPassed).toBe(false);
  });
});
