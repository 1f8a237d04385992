import * as client from "openid-client";
import type { OidcConfig } from "@/lib/config";
import { UnavailableError } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";

const DISCOVERY_TIMEOUT_S = 10;

/**
 * The identity provider's configuration, discovered once per process (issuer metadata and keys
 * locations) and kept; a failed discovery is not kept, so the next sign-in tries again.
 */
export async function oidcClient(oidc: OidcConfig): Promise<client.Configuration> {
  const slot = processSingleton(`oidc:${oidc.issuer}\u0000${oidc.clientId}`, () => ({ config: undefined as Promise<client.Configuration> | undefined }));
  slot.config ??= client
    .discovery(new URL(oidc.issuer), oidc.clientId, oidc.clientSecret, undefined, {
      timeout: DISCOVERY_TIMEOUT_S,
      // ID tokens' signatures are checked against the provider's JWKS too, not only trusted for
      // arriving over TLS: a misrouted or intercepted token endpoint then cannot mint identities.
      // Plain http is allowed by lib/config only for an issuer on a loopback address.
      execute: [client.enableNonRepudiationChecks, ...(oidc.insecureLoopback ? [client.allowInsecureRequests] : [])],
    })
    .catch((err: unknown) => {
      slot.config = undefined;
      throw new UnavailableError("The identity provider cannot be reached right now.", {
        hint: `Discovery of ${oidc.issuer} failed; try again in a minute, or sign in with a password.`,
        cause: err,
      });
    });
  return slot.config;
}
