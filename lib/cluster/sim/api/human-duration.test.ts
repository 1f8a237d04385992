import { describe, expect, it } from "vitest";
import { humanDuration } from "./human-duration";

describe("humanDuration (kubectl AGE)", () => {
  it("switches precision at apimachinery's thresholds", () => {
    const s = 1000;
    expect(humanDuration(-5 * s)).toBe("<invalid>");
    expect(humanDuration(-1 * s)).toBe("0s");
    expect(humanDuration(33 * s)).toBe("33s");
    expect(humanDuration(119 * s)).toBe("119s");
    expect(humanDuration(125 * s)).toBe("2m5s");
    expect(humanDuration(4 * 60 * s + 30 * s)).toBe("4m30s");
    expect(humanDuration(5 * 60 * s)).toBe("5m");
    expect(humanDuration(36 * 60 * s)).toBe("36m");
    expect(humanDuration(200 * 60 * s)).toBe("3h20m");
    expect(humanDuration(10 * 3600 * s)).toBe("10h");
    expect(humanDuration(50 * 3600 * s)).toBe("2d2h");
    expect(humanDuration(20 * 86400 * s)).toBe("20d");
    expect(humanDuration(800 * 86400 * s)).toBe("2y70d");
  });
});
