import { describe, expect, it } from "vitest";
import { summarizeExamHistory, type GradedAttempt } from "./exam-history";

function attempt(id: string, day: number, percent: number, byDomain: [string, number, number][], passPercent = 66): GradedAttempt {
  return {
    id,
    mode: "exam",
    endedAt: new Date(Date.UTC(2026, 10, day)),
    score: {
      weighted: { score: percent, max: 100, percent },
      passed: percent >= passPercent,
      byDomain: byDomain.map(([domain, score, max]) => ({ domain, score, max, percent: max > 0 ? (score / max) * 100 : 0 })),
    },
  };
}

describe("a learner's history of one exam", () => {
  it("lists attempts newest first with date, score and pass/fail, and draws the trend oldest first", () => {
    const h = summarizeExamHistory([
      attempt("b", 3, 70, [["workloads", 70, 100]]),
      attempt("a", 1, 40, [["workloads", 40, 100]]),
      attempt("c", 5, 55, [["workloads", 55, 100]]),
    ]);
    expect(h.attempts.map((a) => [a.id, a.endedAt.slice(0, 10), a.percent, a.passed])).toEqual([
      ["c", "2026-11-05", 55, false],
      ["b", "2026-11-03", 70, true],
      ["a", "2026-11-01", 40, false],
    ]);
    expect(h.trend).toEqual([
      { percent: 40, passed: false },
      { percent: 70, passed: true },
      { percent: 55, passed: false },
    ]);
  });

  it("names the domains with the lowest share earned over the recent attempts together, lowest first", () => {
    const h = summarizeExamHistory([
      attempt("a", 1, 50, [["control-plane", 10, 40], ["workloads", 40, 60]]),
      attempt("b", 2, 60, [["control-plane", 30, 40], ["networking", 0, 10], ["workloads", 30, 50]]),
    ]);
    // control-plane 40/80 = 50 %, networking 0/10 = 0 %, workloads 70/110 = 63.6 %.
    expect(h.weakDomains).toEqual([
      { domain: "networking", score: 0, max: 10, percent: 0 },
      { domain: "control-plane", score: 40, max: 80, percent: 50 },
      { domain: "workloads", score: 70, max: 110, percent: 63.6 },
    ]);
  });

  it("judges weak domains on the recent attempts only, and never calls a fully earned domain weak", () => {
    const old = attempt("old", 1, 0, [["networking", 0, 50], ["workloads", 0, 50]]);
    const recent = [2, 3].map((d) => attempt(`r${d}`, d, 80, [["networking", 50, 50], ["workloads", 30, 50]]));
    expect(summarizeExamHistory([old, ...recent], 2).weakDomains).toEqual([{ domain: "workloads", score: 60, max: 100, percent: 60 }]);
    expect(summarizeExamHistory([old, ...recent], 3).weakDomains.map((d) => [d.domain, d.percent])).toEqual([["workloads", 40], ["networking", 66.7]]);
  });

  it("names at most three weak domains", () => {
    const h = summarizeExamHistory([attempt("a", 1, 0, ["a", "b", "c", "d"].map((d, i) => [d, i, 10] as [string, number, number]))]);
    expect(h.weakDomains.map((d) => d.domain)).toEqual(["a", "b", "c"]);
  });

  it("is empty before any graded attempt", () => {
    expect(summarizeExamHistory([])).toEqual({ attempts: [], trend: [], weakDomains: [] });
  });
});
