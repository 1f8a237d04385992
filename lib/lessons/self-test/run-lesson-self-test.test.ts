import { describe, expect, it } from "vitest";
import type { ScenarioContext } from "@/lib/scenarios/context";
import { defineLesson, type LessonStep } from "../define-lesson";
import { runLessonSelfTest } from "./run-lesson-self-test";

// The runner only hands ctx to the lesson's functions and reads its clock.
const ctx = { clock: { timeScale: 1, now: () => new Date() } } as unknown as ScenarioContext;

function lessonOf(steps: LessonStep[]) {
  return defineLesson({ id: "lesson-t", title: "Test lesson", summary: "Steps on a plain object.", minutes: 1, cluster: { workers: 0 }, steps });
}

function step(id: string, state: Set<string>, opts: { passesAlready?: boolean; solveDoesNothing?: boolean } = {}): LessonStep {
  return {
    id,
    title: `Step ${id}`,
    text: "Teaches something, at length enough.",
    command: `do ${id}`,
    async check() {
      return state.has(id) || opts.passesAlready ? { ok: true, message: `${id} done` } : { ok: false, message: `${id} not done` };
    },
    async solve() {
      if (!opts.solveDoesNothing) state.add(id);
    },
  };
}

const labels = (r: { steps: { label: string; ok: boolean }[] }) => r.steps.map((s) => `${s.ok ? "✔" : "✘"} ${s.label}`);

describe("runLessonSelfTest", () => {
  it("proves each step in order: fails, solve, passes", async () => {
    const s = new Set<string>();
    const r = await runLessonSelfTest(lessonOf([step("a", s), step("b", s), step("c", s)]), ctx, { settleMs: 1000, pollMs: 50 });
    expect(r.ok).toBe(true);
    expect(labels(r)).toEqual(["✔ setup", "✔ a: fails", "✔ a: solve", "✔ a: passes", "✔ b: fails", "✔ b: solve", "✔ b: passes", "✔ c: fails", "✔ c: solve", "✔ c: passes"]);
  });

  it("fails a step whose check already passes before its solve, naming the step, and stops there", async () => {
    const s = new Set<string>();
    const r = await runLessonSelfTest(lessonOf([step("a", s), step("b", s, { passesAlready: true }), step("c", s)]), ctx, { settleMs: 1000, pollMs: 50 });
    expect(r.ok).toBe(false);
    expect(labels(r).slice(-1)).toEqual(["✘ b: fails"]);
    expect(r.steps.at(-1)?.detail).toMatch(/^lessons\/lesson-t\/lesson\.ts → steps\.1 \(b\): the check passed before the step was done/);
  });

  it("fails a step whose check does not pass after its solve within the settle time", async () => {
    const s = new Set<string>();
    const r = await runLessonSelfTest(lessonOf([step("a", s, { solveDoesNothing: true }), step("b", s), step("c", s)]), ctx, { settleMs: 300, pollMs: 50 });
    expect(r.ok).toBe(false);
    expect(labels(r).slice(-1)).toEqual(["✘ a: passes"]);
    expect(r.steps.at(-1)?.detail).toMatch(/still fails: a not done/);
  });
});
