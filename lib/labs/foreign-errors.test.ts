import { describe, expect, it } from "vitest";
import { BreakfixError, toHttp } from "@/lib/errors";
import { asBreakfixError } from "./foreign-errors";

describe("errors from the other module graph", () => {
  it("a look-alike UnavailableError keeps its status and hint through toHttp", () => {
    // What an UnavailableError built by server.ts's copy of lib/errors looks like from Next's copy.
    const foreign = Object.assign(new Error("Docker is not running."), { name: "UnavailableError", code: "UNAVAILABLE", hint: "Start Docker." });
    expect(foreign instanceof BreakfixError).toBe(false);
    const known = asBreakfixError(foreign);
    expect(toHttp(known)).toEqual({ status: 503, body: { error: { code: "UNAVAILABLE", message: "Docker is not running.", hint: "Start Docker." } } });
  });

  it("leaves ordinary errors unknown (they stay a generic 500), including Node errors with a code", () => {
    expect(asBreakfixError(new Error("boom"))).toBeUndefined();
    expect(asBreakfixError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBeUndefined();
  });
});
