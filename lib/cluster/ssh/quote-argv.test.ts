import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { quoteArg, quoteArgv } from "./quote-argv";
import { TRICKY_ARGS } from "./testing/tricky-args";


describe("quoteArgv", () => {
  it("wraps each argument in single quotes and escapes single quotes as '\\''", () => {
    expect(quoteArg("a b")).toBe("'a b'");
    expect(quoteArg("it's")).toBe(`'it'\\''s'`);
    expect(quoteArg("")).toBe("''");
    expect(quoteArgv(["echo", "$x", "y;z"])).toBe(`'echo' '$x' 'y;z'`);
  });

  it("round-trips tricky arguments through a real POSIX shell unchanged", () => {
    for (const shell of ["sh", "bash"]) {
      const out = execFileSync(shell, ["-c", quoteArgv(["printf", "%s\\0", ...TRICKY_ARGS])]);
      expect(out.toString().split("\0").slice(0, -1)).toEqual(TRICKY_ARGS);
    }
  });

  it("refuses an empty argv (there is no program to run)", () => {
    expect(() => quoteArgv([])).toThrow(/at least one/);
  });
});
