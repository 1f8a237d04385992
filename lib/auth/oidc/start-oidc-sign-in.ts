import * as client from "openid-client";
import type { Config } from "@/lib/config";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { safeNextPath } from "../safe-next-path";
import { oidcClient } from "./oidc-client";
import { signOidcState } from "./oidc-state-cookie";

export const OIDC_CALLBACK_PATH = "/api/auth/oidc/callback";

/**
 * The redirect to the identity provider: authorization code flow with PKCE (S256), a random
 * state against login CSRF and a nonce bound into the ID token; all three go into the signed
 * state cookie and nowhere else on this server.
 */
export async function startOidcSignIn(
  config: Pick<Config, "mode" | "oidc" | "origin">,
  secret: () => Buffer,
  next: string | null,
): Promise<{ redirectTo: URL; stateCookie: string }> {
  if (config.mode !== "shared") throw new ConflictError("This server runs in local mode, where nobody signs in.");
  if (!config.oidc) throw new NotFoundError("Sign-in through an identity provider is not set up on this server.", { hint: "Sign in with your email and password." });
  const idp = await oidcClient(config.oidc);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const redirectTo = client.buildAuthorizationUrl(idp, {
    redirect_uri: new URL(OIDC_CALLBACK_PATH, config.origin).href,
    scope: "openid email profile",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  return { redirectTo, stateCookie: signOidcState(secret(), { state, nonce, verifier, next: safeNextPath(next) }) };
}
