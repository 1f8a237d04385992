import { describe, expect, it } from "vitest";
import { JOIN_CODE_PATTERN, newJoinCode } from "./join-code";

describe("newJoinCode", () => {
  it("gives codes of the join-link alphabet, different each time", () => {
    const codes = new Set(Array.from({ length: 200 }, () => newJoinCode()));
    expect(codes.size).toBe(200);
    for (const c of codes) expect(c).toMatch(JOIN_CODE_PATTERN);
    expect(JOIN_CODE_PATTERN.test("0000000000ol")).toBe(false);
  });
});
