import { describe, expect, it } from "vitest";
import { BreakfixError, ConflictError, InputError, NotFoundError, toHttp } from "./errors";

describe("toHttp", () => {
  it("maps named errors to their status and keeps the hint", () => {
    expect(toHttp(new InputError("bad", { hint: "fix it" }))).toEqual({
      status: 400,
      body: { error: { code: "INPUT", message: "bad", hint: "fix it" } },
    });
    expect(toHttp(new NotFoundError("gone")).status).toBe(404);
    expect(toHttp(new ConflictError("busy")).status).toBe(409);
  });
  it("answers unexpected errors with a generic 500 that leaks nothing", () => {
    const r = toHttp(new Error("SQLITE_CORRUPT at /secret/path"));
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).not.toContain("secret");
  });
});

describe("errors across module graphs", () => {
  it("instanceof and toHttp recognise errors built by another copy of lib/errors", async () => {
    // server.ts (tsx) and Next's bundle each load their own copy of this module in one process.
    const { vi } = await import("vitest");
    const mine = await import("./errors");
    vi.resetModules();
    const other = await import("./errors");
    expect(other.ConflictError).not.toBe(mine.ConflictError);
    const foreign = new other.UnavailableError("Docker is not running.", { hint: "Start Docker." });
    expect(foreign instanceof mine.UnavailableError).toBe(true);
    expect(foreign instanceof mine.BreakfixError).toBe(true);
    expect(foreign instanceof mine.NotFoundError).toBe(false);
    expect(foreign instanceof Error).toBe(true);
    expect(mine.toHttp(foreign)).toEqual({
      status: 503,
      body: { error: { code: "UNAVAILABLE", message: "Docker is not running.", hint: "Start Docker." } },
    });
  });

  it("a look-alike plain Error with a code is not mistaken for a BreakfixError", () => {
    const nodeErr = Object.assign(new Error("connect ECONNREFUSED"), { code: "UNAVAILABLE" });
    expect(nodeErr instanceof BreakfixError).toBe(false);
    expect(toHttp(nodeErr).status).toBe(500);
    expect(new ConflictError("busy").name).toBe("ConflictError");
  });
});
