import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** A session lives at most this long after sign-in, however active. */
export const SESSION_MAX_AGE_MS = 30 * 24 * 3600_000;
/** A session unused for this long has ended (a browser left signed in on a classroom PC). */
export const SESSION_IDLE_MS = 7 * 24 * 3600_000;
/** lastSeenAt is written at most this often, so reading a page is not a database write each time. */
const SLIDE_EVERY_MS = 60_000;

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/; // 32 random bytes, base64url

export const hashSessionToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export interface SessionUser {
  sessionId: string;
  user: { id: string; name: string; email: string | null; role: string };
}

type Db = Pick<PrismaClient, "authSession">;

/** Starts a session for `userId`. The token goes into the cookie and is never stored, only its hash. */
export async function createAuthSession(
  prisma: Db,
  userId: string,
  opts: { userAgent?: string | null; now?: Date } = {},
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const now = opts.now ?? new Date();
  // The user's sessions that can never be used again go when a new one starts, so the table stays
  // the size of the live sessions (a revoked one is kept a day, for GET /api/auth/sessions' sake).
  await prisma.authSession.deleteMany({
    where: { userId, OR: [{ expiresAt: { lte: now } }, { revokedAt: { lte: new Date(now.getTime() - 24 * 3600_000) } }] },
  });
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_MAX_AGE_MS);
  const row = await prisma.authSession.create({
    data: {
      userId,
      tokenHash: hashSessionToken(token),
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      userAgent: opts.userAgent ? opts.userAgent.slice(0, 300) : null,
    },
    select: { id: true },
  });
  return { id: row.id, token, expiresAt };
}

/**
 * The live session a cookie's token names, with its user, or null: unknown, malformed, revoked,
 * expired, idle too long, or its user disabled all read the same to the caller. A live session's
 * lastSeenAt slides forward.
 */
export async function findAuthSession(prisma: Db, token: string | null | undefined, now = new Date()): Promise<SessionUser | null> {
  if (!token || !TOKEN_RE.test(token)) return null;
  const row = await prisma.authSession.findUnique({
    where: { tokenHash: hashSessionToken(token) },
    select: {
      id: true,
      expiresAt: true,
      revokedAt: true,
      lastSeenAt: true,
      user: { select: { id: true, name: true, email: true, role: true, disabledAt: true } },
    },
  });
  if (!row || row.revokedAt || row.expiresAt <= now || row.user.disabledAt) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > SESSION_IDLE_MS) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > SLIDE_EVERY_MS) {
    await prisma.authSession.update({ where: { id: row.id }, data: { lastSeenAt: now } });
  }
  const { disabledAt: _disabled, ...user } = row.user;
  return { sessionId: row.id, user };
}

/** Revokes every live session of a user (password reset, disable). Returns how many. */
export async function revokeUserSessions(prisma: Db, userId: string, now = new Date()): Promise<number> {
  const r = await prisma.authSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  return r.count;
}
