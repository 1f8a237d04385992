import { describe, expect, it } from "vitest";
import { scoreExam, type TaskScore } from "./score-exam";

const task = (weight: number, score: number, maxScore: number, domain = "workloads", difficulty = "easy"): TaskScore => ({
  weight,
  score,
  maxScore,
  domain,
  difficulty,
});

describe("scoreExam", () => {
  it("weights each task by the share of its points earned", () => {
    const s = scoreExam([task(60, 5, 10), task(40, 4, 4)], 66);
    expect(s.weighted).toEqual({ score: 70, max: 100, percent: 70 });
    expect(s.passed).toBe(true);
  });

  it("gives the raw score as check points regardless of weight", () => {
    const s = scoreExam([task(60, 5, 10), task(40, 4, 4)], 66);
    expect(s.raw).toEqual({ score: 9, max: 14, percent: 64.3 });
  });

  it("fails just under the mark even when the display rounds up to it", () => {
    // 65.96 % displays as 66 %, but is under a 66 % mark.
    const s = scoreExam([task(100, 6596, 10_000)], 66);
    expect(s.weighted.percent).toBe(66);
    expect(s.passed).toBe(false);
    expect(scoreExam([task(100, 66, 100)], 66).passed).toBe(true);
  });

  it("counts a task that was never graded as nothing earned", () => {
    const s = scoreExam([task(50, 10, 10), task(50, 0, 10)], 66);
    expect(s.weighted.percent).toBe(50);
    expect(s.passed).toBe(false);
  });

  it("never gives more than a task's weight, and nothing for a task with no points", () => {
    const s = scoreExam([task(50, 12, 10), task(50, 0, 0)], 50);
    expect(s.weighted.score).toBe(50);
    expect(s.passed).toBe(true);
  });

  it("breaks the weighted score down by domain and by difficulty", () => {
    const s = scoreExam(
      [task(30, 10, 10, "workloads", "easy"), task(30, 0, 10, "workloads", "medium"), task(40, 5, 10, "control-plane", "medium")],
      66,
    );
    expect(s.byDomain).toEqual([
      { domain: "workloads", score: 30, max: 60, percent: 50 },
      { domain: "control-plane", score: 20, max: 40, percent: 50 },
    ]);
    expect(s.byDifficulty).toEqual([
      { difficulty: "easy", score: 30, max: 30, percent: 100 },
      { difficulty: "medium", score: 20, max: 70, percent: 28.6 },
    ]);
  });
});
