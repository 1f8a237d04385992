import { describe, expect, it } from "vitest";
import { formatRemaining, timeWarning } from "./time-warning";

const MIN = 60_000;

describe("timeWarning", () => {
  it("warns at 30, 15 and 5 minutes left, the latest reached", () => {
    expect(timeWarning(31 * MIN, 120 * MIN)).toBeNull();
    expect(timeWarning(30 * MIN, 120 * MIN)).toBe(30);
    expect(timeWarning(14 * MIN, 120 * MIN)).toBe(15);
    expect(timeWarning(5 * MIN, 120 * MIN)).toBe(5);
    expect(timeWarning(0, 120 * MIN)).toBe(5);
  });

  it("gives no warning an attempt was never longer than", () => {
    expect(timeWarning(10 * MIN, 10 * MIN)).toBeNull();
    expect(timeWarning(4 * MIN, 10 * MIN)).toBe(5);
  });
});

describe("formatRemaining", () => {
  it("rounds up to the second and shows hours only when there are some", () => {
    expect(formatRemaining(3_909_000)).toBe("1:05:09");
    expect(formatRemaining(246_500)).toBe("4:07");
    expect(formatRemaining(-5)).toBe("0:00");
  });
});
