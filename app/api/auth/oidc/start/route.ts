import { startOidcSignIn } from "@/lib/auth/oidc/start-oidc-sign-in";
import { OIDC_COOKIE_PATH, OIDC_STATE_COOKIE, OIDC_STATE_TTL_MS } from "@/lib/auth/oidc/oidc-state-cookie";
import { cookieHeader } from "@/lib/auth/session-cookie";
import { getConfig } from "@/lib/config";
import { loadTerminalSecret } from "@/lib/terminal/terminal-secret";
import { authRoute } from "../../_lib/auth-route";

export const dynamic = "force-dynamic";

// GET /api/auth/oidc/start[?next=/path] – off to the identity provider (PKCE, state, nonce)
export async function GET(req: Request): Promise<Response> {
  return authRoute(req, async () => {
    const config = getConfig();
    const { redirectTo, stateCookie } = await startOidcSignIn(config, () => loadTerminalSecret(config), new URL(req.url).searchParams.get("next"));
    return new Response(null, {
      status: 302,
      headers: {
        Location: redirectTo.href,
        "Set-Cookie": cookieHeader(OIDC_STATE_COOKIE, stateCookie, config, { maxAgeSeconds: OIDC_STATE_TTL_MS / 1000, path: OIDC_COOKIE_PATH }),
      },
    });
  });
}
