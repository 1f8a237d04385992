import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { UnauthorizedError } from "@/lib/errors";
import { NonceLedger, TOKEN_MAX_TTL_MS, signTerminalToken, verifyTerminalToken } from "./terminal-token";

const secret = randomBytes(32);
const grant = { userId: "u1", labSessionId: "lab1", node: "cp" };

describe("terminal tokens", () => {
  it("carry user, lab session and node, and expire within 60 s", () => {
    const now = 1_000_000;
    const { token, expiresAt } = signTerminalToken(secret, grant, { now, ttlMs: 10 * 60_000 });
    expect(expiresAt - now).toBe(TOKEN_MAX_TTL_MS);
    expect(verifyTerminalToken(secret, token, now + 59_000)).toMatchObject({ ...grant, expiresAt });
    expect(() => verifyTerminalToken(secret, token, now + 60_000)).toThrow(/expired/);
  });

  it("are refused when signed with another key", () => {
    const { token } = signTerminalToken(randomBytes(32), grant);
    expect(() => verifyTerminalToken(secret, token)).toThrow(UnauthorizedError);
  });

  it("are refused when the payload is changed to another node or user", () => {
    const { token } = signTerminalToken(secret, grant);
    const [body, sig] = token.split(".");
    const payload = JSON.parse(Buffer.from(body!, "base64url").toString()) as Record<string, unknown>;
    for (const change of [{ n: "worker" }, { u: "u2" }, { l: "lab2" }]) {
      const forged = `${Buffer.from(JSON.stringify({ ...payload, ...change })).toString("base64url")}.${sig}`;
      expect(() => verifyTerminalToken(secret, forged)).toThrow(/not valid/);
    }
  });

  it.each([[""], [null], ["abc"], ["."], ["x.y"], ["a".repeat(3000)]])("refuses the malformed token %j", (t) => {
    expect(() => verifyTerminalToken(secret, t)).toThrow(UnauthorizedError);
  });

  it("are refused if they claim a life longer than the maximum", () => {
    const { token } = signTerminalToken(secret, grant, { now: Date.now() + 10 * 60_000 });
    expect(() => verifyTerminalToken(secret, token)).toThrow(/not valid/);
  });

  it("can be spent once", () => {
    const ledger = new NonceLedger();
    const v = verifyTerminalToken(secret, signTerminalToken(secret, grant).token);
    ledger.spend(v);
    expect(() => ledger.spend(v)).toThrow(/already used/);
    ledger.spend(verifyTerminalToken(secret, signTerminalToken(secret, grant).token));
  });
});
