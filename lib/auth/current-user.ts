import { getConfig, type Config } from "@/lib/config";
import { db } from "@/lib/db";
import { UnauthorizedError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export interface CurrentUser {
  id: string;
  name: string;
}

/** The one implicit user of local mode, found by this address (reserved .invalid TLD: never mail). */
export const LOCAL_USER_EMAIL = "local@breakfix.invalid";

/**
 * Who is making this request. Local mode has one implicit user, created on first use. Shared mode
 * needs sign-in, which is not built yet, so every request there is unauthenticated (401) rather
 * than silently someone.
 */
export async function getCurrentUser(
  _request: Request,
  deps: { config?: Pick<Config, "mode">; prisma?: PrismaClient } = {},
): Promise<CurrentUser> {
  const config = deps.config ?? getConfig();
  if (config.mode === "shared") {
    throw new UnauthorizedError("Sign in first.", { hint: "Shared mode requires sign-in, which this server does not offer yet." });
  }
  const prisma = deps.prisma ?? db();
  const user = await prisma.user.upsert({
    where: { email: LOCAL_USER_EMAIL },
    update: {},
    create: { email: LOCAL_USER_EMAIL, name: "Local learner" },
    select: { id: true, name: true },
  });
  return user;
}
