import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConflictError, InputError, NotFoundError } from "@/lib/errors";
import { safeNextPath } from "../safe-next-path";
import { OIDC_STATE_TTL_MS, signOidcState, verifyOidcState } from "./oidc-state-cookie";
import { startOidcSignIn } from "./start-oidc-sign-in";

const secret = randomBytes(32);
const state = { state: "s".repeat(43), nonce: "n".repeat(43), verifier: "v".repeat(43), next: "/exams" };

describe("the OIDC state cookie", () => {
  it("round-trips while fresh, and is refused once expired, forged, signed with another key or malformed", () => {
    const now = 1_800_000_000_000;
    const cookie = signOidcState(secret, state, now);
    expect(verifyOidcState(secret, cookie, now + 1000)).toEqual(state);
    expect(() => verifyOidcState(secret, cookie, now + OIDC_STATE_TTL_MS)).toThrow("This sign-in took too long.");
    expect(() => verifyOidcState(randomBytes(32), cookie, now)).toThrow("The sign-in state is not valid.");
    const [body, sig] = cookie.split(".") as [string, string];
    const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, "base64url").toString()), next: "https://evil.example" })).toString("base64url");
    expect(() => verifyOidcState(secret, `${tampered}.${sig}`, now)).toThrow(InputError);
    for (const bad of ["", ".", "x.y", `${body}.`, `.${sig}`]) expect(() => verifyOidcState(secret, bad, now)).toThrow(InputError);
    expect(() => verifyOidcState(secret, null, now)).toThrow("This sign-in was not started here, or took too long.");
  });
});

describe("where sign-in goes next", () => {
  it.each([
    ["/exams", "/exams"],
    ["/labs/abc?x=1", "/labs/abc?x=1"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/x\r\nSet-Cookie: a=b", "/"],
    [null, "/"],
  ])("%j → %j", (next, want) => expect(safeNextPath(next)).toBe(want));
});

describe("starting OIDC sign-in", () => {
  it("is refused in local mode (409) and where no provider is set up (404), before any request to a provider", async () => {
    const origin = "http://127.0.0.1:3000";
    await expect(startOidcSignIn({ mode: "local", oidc: null, origin }, () => secret, null)).rejects.toThrow(ConflictError);
    await expect(startOidcSignIn({ mode: "shared", oidc: null, origin }, () => secret, null)).rejects.toThrow(NotFoundError);
  });
});
