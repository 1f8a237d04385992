import { describe, expect, it } from "vitest";
import { gradeAssignmentCell, type AttemptFacts } from "./grade-assignment-cell";

const t = (min: number) => new Date(Date.UTC(2026, 11, 1, 9, min));
const attempt = (id: string, startMin: number, over: Partial<AttemptFacts> = {}): AttemptFacts => ({
  id,
  startedAt: t(startMin),
  endedAt: t(startMin + 5),
  live: false,
  scorePercent: 50,
  passed: false,
  ...over,
});
const policy = { createdAt: t(10), dueAt: t(60), maxAttempts: null, scoring: "best" };

describe("gradeAssignmentCell", () => {
  it("is not started when the learner has no attempt since the assignment was set", () => {
    const cell = gradeAssignmentCell(policy, [attempt("practice", 0, { passed: true, scorePercent: 100 })]);
    expect(cell).toMatchObject({ status: "not-started", attemptsUsed: 0, uncounted: 0, scorePercent: null, resultAttemptId: null, exhausted: false });
  });

  it("shows the best finished attempt and counts a pass", () => {
    const cell = gradeAssignmentCell(policy, [attempt("a", 11, { scorePercent: 40 }), attempt("b", 20, { scorePercent: 100, passed: true }), attempt("c", 30, { scorePercent: 70 })]);
    expect(cell).toMatchObject({ status: "passed", attemptsUsed: 3, scorePercent: 100, resultAttemptId: "b" });
  });

  it("shows the last finished attempt under the 'last' policy, even when an earlier one was better", () => {
    const cell = gradeAssignmentCell({ ...policy, scoring: "last" }, [attempt("a", 11, { scorePercent: 100, passed: true }), attempt("b", 20, { scorePercent: 30 })]);
    expect(cell).toMatchObject({ status: "failed", scorePercent: 30, resultAttemptId: "b" });
  });

  it("does not count attempts started after the due date", () => {
    const cell = gradeAssignmentCell(policy, [attempt("a", 11, { scorePercent: 20 }), attempt("late", 61, { scorePercent: 100, passed: true })]);
    expect(cell).toMatchObject({ status: "failed", attemptsUsed: 1, uncounted: 1, scorePercent: 20, resultAttemptId: "a" });
  });

  it("counts only the first maxAttempts attempts and says when they are used up", () => {
    const capped = { ...policy, maxAttempts: 2 };
    const two = [attempt("a", 11, { scorePercent: 10 }), attempt("b", 20, { scorePercent: 30 })];
    expect(gradeAssignmentCell(capped, two.slice(0, 1)).exhausted).toBe(false);
    const cell = gradeAssignmentCell(capped, [...two, attempt("c", 30, { scorePercent: 100, passed: true })]);
    expect(cell).toMatchObject({ attemptsUsed: 2, attemptsAllowed: 2, uncounted: 1, exhausted: true, scorePercent: 30, status: "failed" });
  });

  it("is in progress while a counted attempt runs and none has passed", () => {
    const cell = gradeAssignmentCell(policy, [attempt("a", 11, { scorePercent: 20 }), attempt("b", 20, { live: true, endedAt: null, scorePercent: null })]);
    expect(cell).toMatchObject({ status: "in-progress", attemptsUsed: 2, scorePercent: 20 });
  });

  it("treats a finished attempt without a score as zero", () => {
    const cell = gradeAssignmentCell(policy, [attempt("a", 11, { scorePercent: null })]);
    expect(cell).toMatchObject({ status: "failed", scorePercent: 0, resultAttemptId: "a" });
  });
});
