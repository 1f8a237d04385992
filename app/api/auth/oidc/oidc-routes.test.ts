import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRoute, type RouteHandler } from "@/lib/testing/call-route";
import { TestOidcProvider } from "@/lib/testing/test-oidc-provider";

// A real OpenID provider on loopback, and breakfix in shared mode pointed at it. getConfig() reads
// the environment once, so the provider starts first and the environment is set before any import.
const idp = await TestOidcProvider.start();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-oidc-"));
const saved = { ...process.env };
Object.assign(process.env, {
  BREAKFIX_MODE: "shared",
  BREAKFIX_DATA_DIR: dir,
  BREAKFIX_ORIGIN: "http://127.0.0.1:3000",
  BREAKFIX_SECRET: "i".repeat(40),
  BREAKFIX_OIDC_ISSUER: idp.issuer,
  BREAKFIX_OIDC_CLIENT_ID: idp.clientId,
  BREAKFIX_OIDC_CLIENT_SECRET: idp.clientSecret,
});
delete process.env.DATABASE_URL;

const { getConfig } = await import("@/lib/config");
const { db } = await import("@/lib/db");
const { applyMigrations } = await import("@/lib/server/migrate");
const start = await import("./start/route");
const callback = await import("./callback/route");
const me = await import("../me/route");

const config = getConfig();
const cookieValue = (res: Response, name: string) => {
  for (const c of res.headers.getSetCookie()) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(c);
    if (m) return { value: m[1]!, header: c };
  }
  return null;
};

/** Start → the provider's authorization endpoint → the callback URL it redirects to, with the state cookie. */
async function toCallback(next = "/exams"): Promise<{ callbackPath: string; stateCookie: string }> {
  const r = await callRoute(start.GET as RouteHandler, { path: `/api/auth/oidc/start?next=${encodeURIComponent(next)}` }, config);
  expect(r.status).toBe(302);
  const state = cookieValue(r, "breakfix_oidc")!;
  const atIdp = await fetch(r.headers.get("location")!, { redirect: "manual" });
  expect(atIdp.status).toBe(302);
  const back = new URL(atIdp.headers.get("location")!);
  return { callbackPath: `${back.pathname}${back.search}`, stateCookie: state.value };
}

const finish = (callbackPath: string, stateCookie: string | null) =>
  callRoute(callback.GET as RouteHandler, { path: callbackPath, headers: stateCookie === null ? {} : { cookie: `breakfix_oidc=${stateCookie}` } }, config);

const counts = async () => [await db().user.count(), await db().authSession.count()];

beforeAll(() => applyMigrations(config.databaseUrl));
afterAll(async () => {
  await db().$disconnect();
  await idp.close();
  process.env = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("OIDC sign-in against a real provider", () => {
  it("start redirects with PKCE (S256), state and nonce, kept in a signed HttpOnly cookie for the OIDC routes", async () => {
    const r = await callRoute(start.GET as RouteHandler, { path: "/api/auth/oidc/start" }, config);
    const to = new URL(r.headers.get("location")!);
    expect(`${to.origin}${to.pathname}`).toBe(`${idp.issuer}/authorize`);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      client_id: idp.clientId,
      response_type: "code",
      redirect_uri: "http://127.0.0.1:3000/api/auth/oidc/callback",
      scope: "openid email profile",
      code_challenge_method: "S256",
      state: expect.stringMatching(/^[\w-]{20,}$/),
      nonce: expect.stringMatching(/^[\w-]{20,}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
    });
    const state = cookieValue(r, "breakfix_oidc")!;
    expect(state.header).toMatch(/; Path=\/api\/auth\/oidc; Max-Age=600; HttpOnly; SameSite=Lax$/);
    expect(state.value).not.toContain(to.searchParams.get("state")!); // signed and encoded, not the bare state
  });

  it("the callback creates a learner linked to (issuer, sub), signs in, and goes to `next`; a second sign-in links the same user", async () => {
    idp.identity = { sub: "alice-123", email: "Alice@School.example", email_verified: true, name: "Alice A." };
    const { callbackPath, stateCookie } = await toCallback("/exams");
    const r = await finish(callbackPath, stateCookie);
    expect(r.status).toBe(303);
    expect(r.headers.get("location")).toBe("http://127.0.0.1:3000/exams");
    expect(idp.tokenRequests.at(-1)?.get("code_verifier")).toMatch(/^[\w-]{43,128}$/);
    const session = cookieValue(r, "breakfix_session")!;
    expect(session.header).toContain("HttpOnly; SameSite=Lax");
    expect(cookieValue(r, "breakfix_oidc")?.header).toContain("Max-Age=0");
    const who = await callRoute(me.GET as RouteHandler, { path: "/api/auth/me", headers: { cookie: `breakfix_session=${session.value}` } }, config);
    const body = (await who.json()) as { user: { id: string; name: string; email: string; role: string } };
    expect(body.user).toMatchObject({ name: "Alice A.", email: "alice@school.example", role: "learner" });
    const row = await db().user.findUniqueOrThrow({ where: { id: body.user.id } });
    expect(row).toMatchObject({ oidcIssuer: idp.issuer, oidcSubject: "alice-123", passwordHash: null });

    idp.identity = { sub: "alice-123", email: "alice@school.example", email_verified: true, name: "Renamed" };
    const again = await toCallback("/");
    const r2 = await finish(again.callbackPath, again.stateCookie);
    expect(r2.status).toBe(303);
    expect(await db().user.count({ where: { oidcSubject: "alice-123" } })).toBe(1);
  });

  it("never takes over an account by email: an existing user's email from the provider makes a new account without it", async () => {
    await db().user.create({ data: { email: "teacher@school.example", name: "Teacher", role: "admin", passwordHash: "x" } });
    idp.identity = { sub: "mallory", email: "teacher@school.example", email_verified: true, name: "Mallory" };
    const { callbackPath, stateCookie } = await toCallback();
    expect((await finish(callbackPath, stateCookie)).status).toBe(303);
    const m = await db().user.findFirstOrThrow({ where: { oidcSubject: "mallory" } });
    expect(m).toMatchObject({ email: null, role: "learner" });
    idp.identity = { sub: "unverified", email: "someone@school.example", email_verified: false };
    const u = await toCallback();
    await finish(u.callbackPath, u.stateCookie);
    expect(await db().user.findFirstOrThrow({ where: { oidcSubject: "unverified" } })).toMatchObject({ email: null, name: "New learner" });
  });

  it("refuses a callback without its state cookie, with a forged one, with a changed state, a replayed code or a forged ID token; nothing is created", async () => {
    idp.identity = { sub: "eve", email: "eve@school.example", email_verified: true };
    const before = await counts();
    const a = await toCallback();
    expect((await finish(a.callbackPath, null)).status).toBe(400);
    const [body, sig] = a.stateCookie.split(".");
    expect((await finish(a.callbackPath, `${body}.${sig!.slice(0, -2)}AA`)).status).toBe(400);
    expect((await finish(a.callbackPath, "garbage")).status).toBe(400);
    const changed = a.callbackPath.replace(/state=[^&]+/, "state=attacker-chosen-state-value");
    const r = await finish(changed, a.stateCookie);
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: { message: string } }).error.message).toBe("The identity provider's answer could not be verified.");

    const b = await toCallback();
    const cookieOfOther = (await toCallback()).stateCookie; // another sign-in's state: PKCE and state do not match
    expect((await finish(b.callbackPath, cookieOfOther)).status).toBe(401);

    const c = await toCallback();
    idp.forgeNextToken = true;
    expect((await finish(c.callbackPath, c.stateCookie)).status).toBe(401);
    expect(await counts()).toEqual(before);

    // A code is good once: the same redirect replayed (with its own state cookie) is refused by the provider.
    const d = await toCallback();
    expect((await finish(d.callbackPath, d.stateCookie)).status).toBe(303);
    const afterOne = await counts();
    expect((await finish(d.callbackPath, d.stateCookie)).status).toBe(401);
    expect(await counts()).toEqual(afterOne);
  });

  it("refuses a disabled OIDC user, and sends an unsafe `next` home", async () => {
    idp.identity = { sub: "dora", email: "dora@school.example", email_verified: true };
    const a = await toCallback("//evil.example/steal");
    const r = await finish(a.callbackPath, a.stateCookie);
    expect(r.headers.get("location")).toBe("http://127.0.0.1:3000/");
    await db().user.updateMany({ where: { oidcSubject: "dora" }, data: { disabledAt: new Date() } });
    const b = await toCallback();
    const refused = await finish(b.callbackPath, b.stateCookie);
    expect(refused.status).toBe(401);
    expect(cookieValue(refused, "breakfix_session")).toBeNull();
  });
});
