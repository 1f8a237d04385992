import { describe, expect, it } from "vitest";
import { sparklinePoints } from "./sparkline-points";

describe("sparkline points", () => {
  it("spreads scores over the width, 100 % at the top and 0 % at the bottom", () => {
    expect(sparklinePoints([0, 50, 100], 104, 54, 2)).toEqual([
      { x: 2, y: 52 },
      { x: 52, y: 27 },
      { x: 102, y: 2 },
    ]);
  });

  it("puts a single score in the middle, and keeps out-of-range scores in the box", () => {
    expect(sparklinePoints([40], 100, 22, 1)).toEqual([{ x: 50, y: 13 }]);
    expect(sparklinePoints([-5, 120], 10, 10, 0).map((p) => p.y)).toEqual([10, 0]);
  });

  it("has no points without scores", () => {
    expect(sparklinePoints([], 100, 20)).toEqual([]);
  });
});
