import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { CurrentUser } from "./current-user";
import { roleAtLeast } from "./roles";

export interface AuthSessionSummary {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  /** The session this request came with. */
  current: boolean;
}

type Db = Pick<PrismaClient, "authSession">;

/**
 * The live sessions of `userId` (by default the caller's own). Only an admin may list another
 * user's; for anyone else another id reads as "no such user", like every other id they do not own.
 */
export async function listAuthSessions(
  caller: CurrentUser,
  userId = caller.id,
  { prisma = db(), now = new Date() }: { prisma?: Db; now?: Date } = {},
): Promise<AuthSessionSummary[]> {
  if (userId !== caller.id && !roleAtLeast(caller.role, "admin")) throw new NotFoundError("There is no such user.");
  const rows = await prisma.authSession.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true, userAgent: true },
  });
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    userAgent: r.userAgent,
    current: r.id === caller.sessionId,
  }));
}

/**
 * Revokes one live session: the caller's own, or anyone's for an admin. Another user's session, a
 * revoked one and a missing one are all the same 404, and nothing changes.
 */
export async function revokeAuthSession(
  caller: CurrentUser,
  sessionId: string,
  { prisma = db(), now = new Date() }: { prisma?: Db; now?: Date } = {},
): Promise<{ id: string; current: boolean }> {
  const where = roleAtLeast(caller.role, "admin") ? { id: sessionId, revokedAt: null } : { id: sessionId, userId: caller.id, revokedAt: null };
  const r = await prisma.authSession.updateMany({ where, data: { revokedAt: now } });
  if (r.count === 0) throw new NotFoundError("There is no such session.", { hint: "GET /api/auth/sessions lists yours." });
  return { id: sessionId, current: sessionId === caller.sessionId };
}
