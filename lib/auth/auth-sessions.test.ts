import { afterAll, describe, expect, it } from "vitest";
import { UnauthorizedError } from "@/lib/errors";
import { migratedTestDb } from "@/lib/testing/migrated-test-db";
import { SESSION_IDLE_MS, createAuthSession, findAuthSession, hashSessionToken, revokeUserSessions } from "./auth-sessions";
import { getCurrentUser } from "./current-user";
import { SESSION_COOKIE } from "./session-cookie";

const t = migratedTestDb("breakfix-auth-sessions-");
const { prisma } = t;
afterAll(() => t.cleanup());

const shared = { mode: "shared" as const };
const withCookie = (value: string) => new Request("http://127.0.0.1:3000/", { headers: { cookie: `other=1; ${SESSION_COOKIE}=${value}` } });

describe("auth sessions", () => {
  it("stores only the token's sha256, and finds the session and its user by the token", async () => {
    const u = await prisma.user.create({ data: { name: "Ada", email: "ada@example.test", role: "instructor" } });
    const s = await createAuthSession(prisma, u.id, { userAgent: "vitest" });
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await prisma.authSession.findUniqueOrThrow({ where: { id: s.id } });
    expect(row.tokenHash).toBe(hashSessionToken(s.token));
    expect(JSON.stringify(row)).not.toContain(s.token);
    const found = await findAuthSession(prisma, s.token);
    expect(found).toEqual({ sessionId: s.id, user: { id: u.id, name: "Ada", email: "ada@example.test", role: "instructor" } });
  });

  it("slides lastSeenAt on use, and ends a session idle for longer than the idle limit", async () => {
    const u = await prisma.user.create({ data: { name: "Idle", email: "idle@example.test" } });
    const start = new Date("2026-12-01T10:00:00Z");
    const s = await createAuthSession(prisma, u.id, { now: start });
    const later = new Date(start.getTime() + 3600_000);
    expect(await findAuthSession(prisma, s.token, later)).not.toBeNull();
    expect((await prisma.authSession.findUniqueOrThrow({ where: { id: s.id } })).lastSeenAt).toEqual(later);
    expect(await findAuthSession(prisma, s.token, new Date(later.getTime() + SESSION_IDLE_MS + 1))).toBeNull();
  });

  it("reads revoked, expired, malformed, unknown and disabled users' sessions as none", async () => {
    const u = await prisma.user.create({ data: { name: "Bo", email: "bo@example.test" } });
    const revoked = await createAuthSession(prisma, u.id);
    await prisma.authSession.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    expect(await findAuthSession(prisma, revoked.token)).toBeNull();
    const expired = await createAuthSession(prisma, u.id, { now: new Date(Date.now() - 40 * 24 * 3600_000) });
    await prisma.authSession.update({ where: { id: expired.id }, data: { lastSeenAt: new Date() } });
    expect(await findAuthSession(prisma, expired.token)).toBeNull();
    for (const bad of ["", "x", "a".repeat(43), `${revoked.token}x`, "../../etc/passwd"]) expect(await findAuthSession(prisma, bad)).toBeNull();
    const live = await createAuthSession(prisma, u.id);
    expect(await findAuthSession(prisma, live.token)).not.toBeNull();
    await prisma.user.update({ where: { id: u.id }, data: { disabledAt: new Date() } });
    expect(await findAuthSession(prisma, live.token)).toBeNull();
  });

  it("revokes every live session of a user and leaves other users' alone", async () => {
    const a = await prisma.user.create({ data: { name: "A", email: "a@example.test" } });
    const b = await prisma.user.create({ data: { name: "B", email: "b@example.test" } });
    const a1 = await createAuthSession(prisma, a.id);
    const a2 = await createAuthSession(prisma, a.id);
    const b1 = await createAuthSession(prisma, b.id);
    expect(await revokeUserSessions(prisma, a.id)).toBe(2);
    expect(await findAuthSession(prisma, a1.token)).toBeNull();
    expect(await findAuthSession(prisma, a2.token)).toBeNull();
    expect(await findAuthSession(prisma, b1.token)).not.toBeNull();
  });

  it("drops a user's expired and long-revoked sessions when a new one starts, keeping the live ones", async () => {
    const u = await prisma.user.create({ data: { name: "Fe", email: "fe@example.test" } });
    const now = Date.now();
    const expired = await createAuthSession(prisma, u.id, { now: new Date(now - 31 * 24 * 3600_000) });
    const oldRevoked = await createAuthSession(prisma, u.id, { now: new Date(now - 3 * 24 * 3600_000) });
    await prisma.authSession.update({ where: { id: oldRevoked.id }, data: { revokedAt: new Date(now - 2 * 24 * 3600_000) } });
    const live = await createAuthSession(prisma, u.id, { now: new Date(now - 3600_000) });
    await createAuthSession(prisma, u.id);
    const left = (await prisma.authSession.findMany({ where: { userId: u.id } })).map((r) => r.id);
    expect(left).toContain(live.id);
    expect(left).not.toContain(expired.id);
    expect(left).not.toContain(oldRevoked.id);
    expect(left).toHaveLength(2);
  });
});

describe("the current user", () => {
  it("in shared mode is the session cookie's user, with role and session id", async () => {
    const u = await prisma.user.create({ data: { name: "Cy", email: "cy@example.test", role: "admin" } });
    const s = await createAuthSession(prisma, u.id);
    expect(await getCurrentUser(withCookie(s.token), { config: shared, prisma })).toEqual({
      id: u.id,
      name: "Cy",
      email: "cy@example.test",
      role: "admin",
      sessionId: s.id,
    });
  });

  it("in shared mode refuses no cookie, a forged one and a revoked one with 401", async () => {
    const u = await prisma.user.create({ data: { name: "Di", email: "di@example.test" } });
    const s = await createAuthSession(prisma, u.id);
    await expect(getCurrentUser(new Request("http://x/"), { config: shared, prisma })).rejects.toThrow("Sign in first.");
    await expect(getCurrentUser(withCookie("A".repeat(43)), { config: shared, prisma })).rejects.toThrow("Your session has ended.");
    await prisma.authSession.update({ where: { id: s.id }, data: { revokedAt: new Date() } });
    await expect(getCurrentUser(withCookie(s.token), { config: shared, prisma })).rejects.toThrow(UnauthorizedError);
  });

  it("gives a stored role this build does not know only a learner's rights", async () => {
    const u = await prisma.user.create({ data: { name: "Ev", email: "ev@example.test", role: "superuser" } });
    const s = await createAuthSession(prisma, u.id);
    expect((await getCurrentUser(withCookie(s.token), { config: shared, prisma })).role).toBe("learner");
  });

  it("in local mode is the implicit user, as admin, whatever the cookie says", async () => {
    const u = await getCurrentUser(withCookie("forged"), { config: { mode: "local" }, prisma });
    expect(u).toMatchObject({ email: "local@breakfix.invalid", role: "admin", sessionId: null });
  });
});
