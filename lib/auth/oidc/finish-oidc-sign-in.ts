import * as client from "openid-client";
import type { Config } from "@/lib/config";
import { db } from "@/lib/db";
import { ConflictError, NotFoundError, UnauthorizedError, UnavailableError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";
import { createAuthSession } from "../auth-sessions";
import { oidcClient } from "./oidc-client";
import { verifyOidcState } from "./oidc-state-cookie";
import { OIDC_CALLBACK_PATH } from "./start-oidc-sign-in";

/** openid-client's errors about the provider's answer (state, nonce, signature, the code) carry these codes. */
const isVerificationError = (err: unknown): boolean =>
  err instanceof client.AuthorizationResponseError ||
  err instanceof client.ResponseBodyError ||
  (typeof err === "object" && err !== null && typeof (err as { code?: unknown }).code === "string" && (err as { code: string }).code.startsWith("OAUTH_"));

/**
 * The provider's redirect back: checks it with openid-client (state, PKCE, the ID token's
 * signature, issuer, audience, nonce and expiry), then finds the account by (issuer, subject) —
 * never by email, which a provider may let people choose — or creates it as a learner, and starts
 * a session. The email is kept only when the provider says it is verified and no account has it.
 */
export async function finishOidcSignIn(
  config: Pick<Config, "mode" | "oidc" | "origin">,
  secret: () => Buffer,
  req: { search: string; stateCookie: string | null; userAgent: string | null },
  deps: { prisma?: PrismaClient } = {},
): Promise<{ token: string; expiresAt: Date; next: string; userId: string }> {
  if (config.mode !== "shared") throw new ConflictError("This server runs in local mode, where nobody signs in.");
  if (!config.oidc) throw new NotFoundError("Sign-in through an identity provider is not set up on this server.");
  const prisma = deps.prisma ?? db();
  const state = verifyOidcState(secret(), req.stateCookie);
  const idp = await oidcClient(config.oidc);
  // The URL the provider redirected to, as the browser saw it (behind a proxy, the public origin).
  const currentUrl = new URL(`${OIDC_CALLBACK_PATH}${req.search}`, config.origin);
  let claims: client.IDToken | undefined;
  try {
    const tokens = await client.authorizationCodeGrant(idp, currentUrl, {
      pkceCodeVerifier: state.verifier,
      expectedState: state.state,
      expectedNonce: state.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch (err) {
    if (isVerificationError(err)) {
      // A refused answer is the provider's or an attacker's doing, not a fault here: one line, no stack.
      const reason = err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ""}` : String(err);
      logger.warn({ code: (err as { code?: unknown }).code, reason }, "OIDC callback refused");
      throw new UnauthorizedError("The identity provider's answer could not be verified.", { hint: "Start the sign-in again from /sign-in." });
    }
    throw new UnavailableError("The identity provider cannot be reached right now.", { hint: "Try again in a minute.", cause: err });
  }
  if (!claims) throw new UnauthorizedError("The identity provider sent no ID token.");
  const issuer = claims.iss;
  const subject = claims.sub;
  let user = await prisma.user.findUnique({ where: { oidcIssuer_oidcSubject: { oidcIssuer: issuer, oidcSubject: subject } }, select: { id: true, disabledAt: true } });
  if (!user) {
    const email = typeof claims.email === "string" && claims.email_verified === true ? claims.email.trim().toLowerCase().slice(0, 254) : null;
    const taken = email ? await prisma.user.findUnique({ where: { email }, select: { id: true } }) : null;
    const name = [claims.name, claims.preferred_username, email].find((v): v is string => typeof v === "string" && v.trim() !== "")?.trim().slice(0, 100) ?? "New learner";
    user = await prisma.user.create({
      data: { name, email: taken ? null : email, role: "learner", oidcIssuer: issuer, oidcSubject: subject },
      select: { id: true, disabledAt: true },
    });
  }
  if (user.disabledAt) throw new UnauthorizedError("This account is disabled.", { hint: "Ask an admin of this breakfix server." });
  const session = await createAuthSession(prisma, user.id, { userAgent: req.userAgent });
  return { token: session.token, expiresAt: session.expiresAt, next: state.next, userId: user.id };
}
