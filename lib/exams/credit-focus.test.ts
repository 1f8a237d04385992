import { describe, expect, it } from "vitest";
import { FOCUS_MAX_GAP_MS, creditFocus, timeAgainstTarget } from "./credit-focus";

const at = (s: number) => new Date(Date.UTC(2026, 10, 21, 9, 0, s));

describe("crediting the time a task was open", () => {
  it("gives the interval since the last beat to the task that beat named", () => {
    expect(creditFocus({ at: at(0), position: 2 }, { at: at(10) })).toEqual({ position: 2, ms: 10_000 });
  });

  it("credits nothing for a first beat, or after a beat that named no task", () => {
    expect(creditFocus(null, { at: at(10) })).toBeNull();
    expect(creditFocus({ at: at(0), position: null }, { at: at(10) })).toBeNull();
  });

  it("credits nothing across a gap too long to vouch for, or a clock that went back", () => {
    expect(creditFocus({ at: at(0), position: 0 }, { at: new Date(at(0).getTime() + FOCUS_MAX_GAP_MS + 1) })).toBeNull();
    expect(creditFocus({ at: at(0), position: 0 }, { at: new Date(at(0).getTime() + FOCUS_MAX_GAP_MS) })).toEqual({ position: 0, ms: FOCUS_MAX_GAP_MS });
    expect(creditFocus({ at: at(10), position: 0 }, { at: at(5) })).toBeNull();
  });
});

describe("time against the pack's target", () => {
  it("says how much of the target was used and whether it ran over", () => {
    expect(timeAgainstTarget(4 * 60_000, 8)).toEqual({ percent: 50, over: false });
    expect(timeAgainstTarget(8 * 60_000, 8)).toEqual({ percent: 100, over: false });
    expect(timeAgainstTarget(8 * 60_000 + 1, 8)).toEqual({ percent: 100, over: true });
    expect(timeAgainstTarget(12 * 60_000, 8)).toEqual({ percent: 150, over: true });
  });

  it("has no share of a target a pack does not give", () => {
    expect(timeAgainstTarget(60_000, 0)).toEqual({ percent: null, over: false });
  });
});
