import { describe, expect, it } from "vitest";
import { ConflictError, InputError, NotFoundError, toHttp } from "./errors";

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
