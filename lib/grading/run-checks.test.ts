import { describe, expect, it } from "vitest";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";
import type { Check } from "@/lib/scenarios/define-scenario";
import { gradeCheck, runChecks } from "./run-checks";

// The checks under test never touch the context; a bare object stands in for it.
const ctx = { clock: { timeScale: 1, now: () => new Date() } } as ScenarioContext;

function sequence(results: boolean[]): Check["run"] {
  let i = 0;
  return async (): Promise<CheckResult> => {
    const ok = results[Math.min(i, results.length - 1)]!;
    i++;
    return ok ? { ok, message: "fine" } : { ok, message: "still wrong", detail: { actual: "a", expected: "b" } };
  };
}

/** A fake clock: sleep() advances time instantly. */
function fakeTime() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

describe("gradeCheck", () => {
  it("passes a check that passes once when it has no hold window", async () => {
    const o = await gradeCheck({ id: "a", title: "A", points: 3, run: sequence([true]) }, ctx);
    expect(o).toMatchObject({ id: "a", ok: true, points: 3, message: "fine" });
  });

  it("fails a check that passes at first but not for its whole hold window", async () => {
    const clock = fakeTime();
    const o = await gradeCheck({ id: "a", title: "A", points: 3, holdSeconds: 20, run: sequence([true, true, false, true]) }, ctx, clock);
    expect(o.ok).toBe(false);
    expect(o.message).toMatch(/^still wrong .*did not stay that way for 20 s/);
    expect(o.detail).toEqual({ actual: "a", expected: "b" });
  });

  it("passes a check that holds for its whole window, sampling more than once", async () => {
    const clock = fakeTime();
    let calls = 0;
    const o = await gradeCheck(
      { id: "a", title: "A", points: 3, holdSeconds: 20, run: async () => (calls++, { ok: true, message: "ok" }) },
      ctx,
      clock,
    );
    expect(o.ok).toBe(true);
    expect(calls).toBeGreaterThanOrEqual(4);
    expect(o.durationMs).toBe(20_000);
  });

  it("ignores the hold window when asked for a single sample", async () => {
    const clock = fakeTime();
    const o = await gradeCheck({ id: "a", title: "A", points: 3, holdSeconds: 20, run: sequence([true, false]) }, ctx, { ...clock, hold: false });
    expect(o.ok).toBe(true);
  });

  it("fails a check that does not answer within its timeout", async () => {
    const o = await gradeCheck({ id: "slow", title: "Slow", points: 1, timeoutMs: 100, run: () => new Promise(() => undefined) }, ctx);
    expect(o.ok).toBe(false);
    expect(o.message).toMatch(/did not finish in time/);
    expect(o.durationMs).toBeGreaterThanOrEqual(90);
  });

  it("turns a throwing check into a failure without losing the others", async () => {
    const outcomes = await runChecks(ctx, [
      { id: "boom", title: "Boom", points: 1, run: async () => { throw new Error("socket hang up\nstack"); } },
      { id: "fine", title: "Fine", points: 2, run: sequence([true]) },
    ]);
    expect(outcomes.map((o) => [o.id, o.ok])).toEqual([["boom", false], ["fine", true]]);
    expect(outcomes[0]!.detail?.actual).toBe("socket hang up");
  });
});

describe("hold windows in cluster time", () => {
  it("lives through a hold window in real time divided by the cluster's time scale", async () => {
    const clock = fakeTime();
    const fast = { clock: { timeScale: 10, now: () => new Date() } } as ScenarioContext;
    let calls = 0;
    const o = await gradeCheck(
      { id: "a", title: "A", points: 1, holdSeconds: 30, run: async () => (calls++, { ok: true, message: "fine" }) },
      fast,
      clock,
    );
    expect(o.ok).toBe(true);
    // 30 s of cluster time at 10x is 3 s of real time, still sampled more than once.
    expect(o.durationMs).toBe(3000);
    expect(calls).toBeGreaterThan(1);
  });

  it("still fails a check that breaks inside the scaled window", async () => {
    const clock = fakeTime();
    const fast = { clock: { timeScale: 10, now: () => new Date() } } as ScenarioContext;
    const o = await gradeCheck({ id: "a", title: "A", points: 1, holdSeconds: 30, run: sequence([true, true, false]) }, fast, clock);
    expect(o.ok).toBe(false);
    expect(o.message).toMatch(/did not stay that way for 30 s/);
  });
});
