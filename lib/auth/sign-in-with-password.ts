import { z } from "zod";
import { db } from "@/lib/db";
import { UnauthorizedError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { rateLimiter, type RateLimiter } from "@/lib/server/rate-limit";
import { createAuthSession } from "./auth-sessions";
import { verifyPassword } from "./password";

/** An email as accounts store it: trimmed and lower-cased. */
export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email({ message: "must be an email address" }));

export const signInSchema = z.strictObject({
  email: emailSchema,
  // Checked for size only: the rules for a new password do not apply to one being tried.
  password: z.string().min(1, "is required").max(200),
});

export type SignInRequest = z.infer<typeof signInSchema>;

/**
 * Checks an email and password and starts a session. Every failure (no such account, wrong
 * password, no password set, disabled) is the same 401 after the same bcrypt work, so neither the
 * message nor the timing tells which emails have accounts.
 */
export async function signInWithPassword(
  req: SignInRequest & { clientAddress: string; userAgent: string | null },
  deps: { prisma?: PrismaClient; limiter?: RateLimiter } = {},
): Promise<{ token: string; expiresAt: Date; user: { id: string; name: string; role: string } }> {
  const prisma = deps.prisma ?? db();
  const limiter = deps.limiter ?? rateLimiter();
  limiter.take("sign-in-address", req.clientAddress);
  limiter.take("sign-in", `${req.clientAddress}\0${req.email}`);
  const user = await prisma.user.findUnique({
    where: { email: req.email },
    select: { id: true, name: true, role: true, passwordHash: true, disabledAt: true },
  });
  const ok = await verifyPassword(req.password, user?.passwordHash);
  if (!user || !ok || user.disabledAt) {
    throw new UnauthorizedError("The email or password is not right.", { hint: "Check both and try again; an admin can reset your password." });
  }
  const session = await createAuthSession(prisma, user.id, { userAgent: req.userAgent });
  return { token: session.token, expiresAt: session.expiresAt, user: { id: user.id, name: user.name, role: user.role } };
}
