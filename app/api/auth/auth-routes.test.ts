import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRoute, type RouteCall, type RouteHandler } from "@/lib/testing/call-route";

// Shared mode, its own data dir; getConfig() reads the environment once, so set it before any import.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-auth-routes-"));
const saved = { ...process.env };
Object.assign(process.env, {
  BREAKFIX_MODE: "shared",
  BREAKFIX_DATA_DIR: dir,
  BREAKFIX_ORIGIN: "http://127.0.0.1:3000",
  BREAKFIX_SECRET: "s".repeat(40),
});
delete process.env.DATABASE_URL;

const { getConfig } = await import("@/lib/config");
const { db } = await import("@/lib/db");
const { applyMigrations } = await import("@/lib/server/migrate");
const { hashPassword } = await import("@/lib/auth/password");
const { createAuthSession } = await import("@/lib/auth/auth-sessions");
const { CLIENT_ADDRESS_HEADER } = await import("@/lib/server/client-address");
const { RATE_LIMITS, RateLimiter } = await import("@/lib/server/rate-limit");
const { signInWithPassword } = await import("@/lib/auth/sign-in-with-password");
const signIn = await import("./sign-in/route");
const signOut = await import("./sign-out/route");
const me = await import("./me/route");
const sessions = await import("./sessions/route");
const session = await import("./sessions/[id]/route");

const config = getConfig();
const call = (h: RouteHandler, c: RouteCall) => callRoute(h, c, config);
const cookieOf = (token: string) => ({ cookie: `breakfix_session=${token}` });
const json = async (r: Response) => (await r.json()) as Record<string, unknown>;
const errorOf = async (r: Response) => (await json(r)).error as { code: string; message: string };

let ana: { id: string };
let ben: { id: string };
let root: { id: string };
/** Everything sign-in and sessions can change: a hostile request must leave it as it was. */
const snapshot = async () => JSON.stringify([await db().authSession.findMany({ orderBy: { id: "asc" } }), await db().user.findMany({ orderBy: { id: "asc" } })]);

beforeAll(async () => {
  applyMigrations(config.databaseUrl);
  const passwordHash = await hashPassword("ana's long password", 4);
  ana = await db().user.create({ data: { email: "ana@example.test", name: "Ana", passwordHash } });
  ben = await db().user.create({ data: { email: "ben@example.test", name: "Ben", passwordHash: await hashPassword("ben's long password", 4) } });
  root = await db().user.create({ data: { email: "root@example.test", name: "Root", role: "admin", passwordHash } });
});
afterAll(async () => {
  await db().$disconnect();
  process.env = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

const signInBody = (email: string, password: string) => JSON.stringify({ email, password });

describe("POST /api/auth/sign-in", () => {
  it("starts a session: an HttpOnly, SameSite=Lax cookie for /, not Secure on an http origin", async () => {
    const r = await call(signIn.POST, { path: "/api/auth/sign-in", body: signInBody("Ana@Example.test ", "ana's long password"), headers: { "user-agent": "vitest-browser" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    expect(await json(r)).toEqual({ user: { id: ana.id, name: "Ana", role: "learner" } });
    const cookie = r.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^breakfix_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=2592000; HttpOnly; SameSite=Lax$/);
    const token = /breakfix_session=([^;]+)/.exec(cookie)![1]!;
    const who = await call(me.GET, { path: "/api/auth/me", headers: cookieOf(token) });
    expect(await json(who)).toEqual({ user: { id: ana.id, name: "Ana", email: "ana@example.test", role: "learner" }, mode: "shared" });
    expect((await db().authSession.findFirstOrThrow({ where: { userId: ana.id } })).userAgent).toBe("vitest-browser");
  });

  it("answers a wrong password and an unknown email with the same 401, starting no session", async () => {
    const before = await snapshot();
    const wrong = await call(signIn.POST, { path: "/api/auth/sign-in", body: signInBody("ana@example.test", "not the password") });
    const unknown = await call(signIn.POST, { path: "/api/auth/sign-in", body: signInBody("nobody@example.test", "not the password") });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await errorOf(wrong)).toEqual(await errorOf(unknown));
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(await snapshot()).toBe(before);
  });

  it("refuses a disabled user like a wrong password", async () => {
    const u = await db().user.create({ data: { email: "gone@example.test", name: "Gone", passwordHash: await hashPassword("gone's long password", 4), disabledAt: new Date() } });
    const r = await call(signIn.POST, { path: "/api/auth/sign-in", body: signInBody("gone@example.test", "gone's long password") });
    expect(r.status).toBe(401);
    expect(await db().authSession.count({ where: { userId: u.id } })).toBe(0);
  });

  it("rate-limits attempts per client address and email (429 with when to retry)", async () => {
    const from = (addr: string) => ({ path: "/api/auth/sign-in", body: signInBody("ben@example.test", "guess guess"), headers: { [CLIENT_ADDRESS_HEADER]: addr } });
    for (let i = 0; i < 10; i++) expect((await call(signIn.POST, from("203.0.113.9"))).status).toBe(401);
    const limited = await call(signIn.POST, from("203.0.113.9"));
    expect(limited.status).toBe(429);
    expect(await errorOf(limited)).toMatchObject({ code: "LIMIT", message: "Too many sign-in attempts: at most 10 a minute." });
    // Even the right password waits: the limit is taken before the password is looked at.
    expect((await call(signIn.POST, { ...from("203.0.113.9"), body: signInBody("ben@example.test", "ben's long password") })).status).toBe(429);
    // Someone elsewhere is not locked out by it.
    expect((await call(signIn.POST, { ...from("198.51.100.7"), body: signInBody("ben@example.test", "ben's long password") })).status).toBe(200);
  });

  it("rate-limits one address trying many emails (password spraying)", async () => {
    // The real limits, with the per-address one lowered: at full size each refused try costs a
    // bcrypt round, and the test would outlast the one-minute window.
    const limiter = new RateLimiter({ ...RATE_LIMITS, "sign-in-address": { max: 3, windowMs: 60_000 } });
    const attempt = (i: number) =>
      signInWithPassword({ email: `user${i}@example.test`, password: "Summer2026!", clientAddress: "192.0.2.50", userAgent: null }, { prisma: db(), limiter });
    for (let i = 0; i < 3; i++) await expect(attempt(i)).rejects.toThrow("The email or password is not right.");
    await expect(attempt(3)).rejects.toThrow("Too many sign-in attempts from this address: at most 3 a minute.");
    await expect(
      signInWithPassword({ email: "ben@example.test", password: "ben's long password", clientAddress: "192.0.2.51", userAgent: null }, { prisma: db(), limiter }),
    ).resolves.toMatchObject({ user: { id: ben.id } });
  });
});

describe("hostile requests to the auth routes", () => {
  const good = signInBody("ana@example.test", "ana's long password");
  const cases: [string, RouteCall, number, string][] = [
    ["bad JSON", { path: "/api/auth/sign-in", body: "{email:" }, 400, "The request body is not JSON."],
    ["an array body", { path: "/api/auth/sign-in", body: "[]" }, 400, "body: "],
    ["unknown fields", { path: "/api/auth/sign-in", body: JSON.stringify({ email: "ana@example.test", password: "ana's long password", role: "admin" }) }, 400, "Unrecognized key"],
    ["a missing password", { path: "/api/auth/sign-in", body: JSON.stringify({ email: "ana@example.test" }) }, 400, "password: "],
    ["a non-email", { path: "/api/auth/sign-in", body: signInBody("ana", "x") }, 400, "email: must be an email address"],
    ["a huge password", { path: "/api/auth/sign-in", body: signInBody("ana@example.test", "x".repeat(5000)) }, 400, "password: "],
    ["an oversized body", { path: "/api/auth/sign-in", body: JSON.stringify({ email: "ana@example.test", password: "x".repeat(70_000) }) }, 413, "too large"],
    ["an oversized chunked body", { path: "/api/auth/sign-in", body: JSON.stringify({ email: "ana@example.test", password: "x".repeat(70_000) }), chunked: true }, 400, "too large"],
    ["a form post", { path: "/api/auth/sign-in", body: "email=ana%40example.test&password=x", headers: { "content-type": "application/x-www-form-urlencoded" } }, 415, "must be JSON"],
    ["text/plain (a no-preflight cross-site fetch)", { path: "/api/auth/sign-in", body: good, headers: { "content-type": "text/plain" } }, 415, "must be JSON"],
    ["a cross-site Origin", { path: "/api/auth/sign-in", body: good, headers: { origin: "https://evil.example" } }, 403, "must come from the breakfix app"],
    ["an opaque Origin", { path: "/api/auth/sign-in", body: good, headers: { origin: "null" } }, 403, "must come from the breakfix app"],
    ["Sec-Fetch-Site: cross-site without Origin", { path: "/api/auth/sign-in", body: good, headers: { origin: "", "sec-fetch-site": "cross-site" } }, 403, "must come from the breakfix app"],
    ["another Host (DNS rebinding)", { path: "/api/auth/sign-in", body: good, headers: { host: "evil.example:3000" } }, 403, "does not answer to the name"],
    ["a cross-site sign-out", { path: "/api/auth/sign-out", method: "POST", headers: { origin: "https://evil.example" } }, 403, "must come from the breakfix app"],
    ["sign-out with a body of unknown fields", { path: "/api/auth/sign-out", body: JSON.stringify({ everyone: true }) }, 400, "Unrecognized key"],
    ["a cross-site session revoke", { path: "/api/auth/sessions/abcdefgh12", method: "DELETE", headers: { origin: "https://evil.example" }, params: { id: "abcdefgh12" } }, 403, "must come from the breakfix app"],
  ];

  it.each(cases.map(([what, c, status, message]) => [what, status, c, message] as const))("%s → %i, nothing changed", async (_what, status, c, message) => {
    const anaToken = (await createAuthSession(db(), ana.id)).token;
    const handler = c.path.includes("sign-out") ? signOut.POST : c.path.includes("sessions/") ? session.DELETE : signIn.POST;
    const before = await snapshot();
    const r = await call(handler as RouteHandler, { ...c, headers: { ...cookieOf(anaToken), ...c.headers } });
    expect(r.status).toBe(status);
    expect((await errorOf(r)).message).toContain(message);
    expect(r.headers.get("set-cookie") ?? "").not.toMatch(/breakfix_session=[A-Za-z0-9_-]{43}/);
    expect(await snapshot()).toBe(before);
  });

  it("answers bad, forged, expired and revoked cookies with 401 on every route, changing nothing", async () => {
    // Made in this order because starting a session clears the user's expired ones.
    const live = await createAuthSession(db(), ana.id);
    const revoked = await createAuthSession(db(), ana.id);
    await db().authSession.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    const expired = await createAuthSession(db(), ana.id, { now: new Date(Date.now() - 31 * 24 * 3600_000) });
    expect(await db().authSession.count({ where: { id: expired.id } })).toBe(1);
    const cookies = ["", "breakfix_session=", "breakfix_session=garbage", `breakfix_session=${"A".repeat(43)}`, `breakfix_session=${live.token.slice(0, -1)}B`, `breakfix_session=${expired.token}`, `breakfix_session=${revoked.token}`, `breakfix_session=${"x".repeat(9000)}`];
    const routes: [RouteHandler, RouteCall][] = [
      [me.GET as RouteHandler, { path: "/api/auth/me" }],
      [sessions.GET as RouteHandler, { path: "/api/auth/sessions" }],
      [session.DELETE as RouteHandler, { path: `/api/auth/sessions/${live.id}`, method: "DELETE", params: { id: live.id } }],
      [signOut.POST as RouteHandler, { path: "/api/auth/sign-out", method: "POST" }],
    ];
    const before = await snapshot();
    for (const cookie of cookies) {
      for (const [h, c] of routes) {
        const r = await call(h, { ...c, headers: cookie ? { cookie } : {} });
        expect([c.path, cookie.slice(0, 40), r.status]).toEqual([c.path, cookie.slice(0, 40), 401]);
        expect((await errorOf(r)).code).toBe("UNAUTHORIZED");
      }
    }
    expect(await snapshot()).toBe(before);
  });
});

describe("sessions and sign-out", () => {
  it("lists your own live sessions, marking this one; another user's list is 404 unless you are admin", async () => {
    const a1 = await createAuthSession(db(), ana.id, { userAgent: "laptop" });
    const b1 = await createAuthSession(db(), ben.id);
    const r = await call(sessions.GET as RouteHandler, { path: "/api/auth/sessions", headers: cookieOf(a1.token) });
    const list = (await json(r)).sessions as { id: string; current: boolean; userAgent: string | null }[];
    expect(list.find((s) => s.id === a1.id)).toMatchObject({ current: true, userAgent: "laptop" });
    expect(list.every((s) => s.id !== b1.id)).toBe(true);
    const probe = await call(sessions.GET as RouteHandler, { path: `/api/auth/sessions?userId=${ana.id}`, headers: cookieOf(b1.token) });
    expect(probe.status).toBe(404);
    const junk = await call(sessions.GET as RouteHandler, { path: "/api/auth/sessions?userId=../../etc", headers: cookieOf(b1.token) });
    expect(junk.status).toBe(404);
    const admin = await createAuthSession(db(), root.id);
    const asAdmin = await call(sessions.GET as RouteHandler, { path: `/api/auth/sessions?userId=${ana.id}`, headers: cookieOf(admin.token) });
    expect(((await json(asAdmin)).sessions as { id: string }[]).map((s) => s.id)).toContain(a1.id);
  });

  it("revokes your own session by id; another user's is 404 and stays live; an admin can revoke anyone's", async () => {
    const a1 = await createAuthSession(db(), ana.id);
    const a2 = await createAuthSession(db(), ana.id);
    const b1 = await createAuthSession(db(), ben.id);
    const del = (id: string, token: string) => call(session.DELETE as RouteHandler, { path: `/api/auth/sessions/${id}`, method: "DELETE", params: { id }, headers: cookieOf(token) });
    const before = await snapshot();
    expect((await del(a2.id, b1.token)).status).toBe(404);
    expect((await del("../../x", b1.token)).status).toBe(404);
    expect((await del("nonexistent123", b1.token)).status).toBe(404);
    expect(await snapshot()).toBe(before);
    const own = await del(a2.id, a1.token);
    expect(own.status).toBe(200);
    expect(own.headers.get("set-cookie")).toBeNull(); // another of my sessions: this browser stays in
    expect((await call(me.GET, { path: "/api/auth/me", headers: cookieOf(a2.token) })).status).toBe(401);
    expect((await del(a2.id, a1.token)).status).toBe(404); // already revoked
    const self = await del(a1.id, a1.token);
    expect(self.headers.get("set-cookie")).toMatch(/^breakfix_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/);
    const admin = await createAuthSession(db(), root.id);
    expect((await del(b1.id, admin.token)).status).toBe(200);
    expect((await call(me.GET, { path: "/api/auth/me", headers: cookieOf(b1.token) })).status).toBe(401);
  });

  it("signs out: the session is revoked, the cookie cleared, and the token no longer works", async () => {
    const s = await createAuthSession(db(), ben.id);
    const r = await call(signOut.POST as RouteHandler, { path: "/api/auth/sign-out", method: "POST", headers: cookieOf(s.token) });
    expect(r.status).toBe(200);
    expect(r.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await db().authSession.findUniqueOrThrow({ where: { id: s.id } })).revokedAt).toBeInstanceOf(Date);
    expect((await call(me.GET, { path: "/api/auth/me", headers: cookieOf(s.token) })).status).toBe(401);
  });
});
