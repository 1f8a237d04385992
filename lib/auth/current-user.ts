import { getConfig, type Config } from "@/lib/config";
import { db } from "@/lib/db";
import { UnauthorizedError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { findAuthSession } from "./auth-sessions";
import { roleSchema, type Role } from "./roles";
import { SESSION_COOKIE, readCookie } from "./session-cookie";

export interface CurrentUser {
  id: string;
  name: string;
  role: Role;
  email: string | null;
  /** The AuthSession this request came with (shared mode); null for local mode's implicit user. */
  sessionId: string | null;
}

/** The one implicit user of local mode, found by this address (reserved .invalid TLD: never mail). */
export const LOCAL_USER_EMAIL = "local@breakfix.invalid";

/**
 * Who is making this request. Local mode has one implicit user, created on first use; it is the
 * only person there, so it is admin (and with that instructor). Shared mode reads the session
 * cookie: no cookie, or one naming no live session, is 401 and never silently someone.
 */
export async function getCurrentUser(
  request: Pick<Request, "headers">,
  deps: { config?: Pick<Config, "mode">; prisma?: PrismaClient; now?: Date } = {},
): Promise<CurrentUser> {
  const config = deps.config ?? getConfig();
  const prisma = deps.prisma ?? db();
  if (config.mode === "shared") {
    const token = readCookie(request, SESSION_COOKIE);
    if (!token) throw new UnauthorizedError("Sign in first.", { hint: "Open /sign-in." });
    const found = await findAuthSession(prisma, token, deps.now);
    if (!found) throw new UnauthorizedError("Your session has ended.", { hint: "Sign in again at /sign-in." });
    // A role this build does not know (written by a newer one) gets the least rights, not an error.
    const role = roleSchema.safeParse(found.user.role);
    return { ...found.user, role: role.success ? role.data : "learner", sessionId: found.sessionId };
  }
  const user = await prisma.user.upsert({
    where: { email: LOCAL_USER_EMAIL },
    update: {},
    create: { email: LOCAL_USER_EMAIL, name: "Local learner" },
    select: { id: true, name: true, email: true },
  });
  return { ...user, role: "admin", sessionId: null };
}
