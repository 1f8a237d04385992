import { finishOidcSignIn } from "@/lib/auth/oidc/finish-oidc-sign-in";
import { OIDC_COOKIE_PATH, OIDC_STATE_COOKIE } from "@/lib/auth/oidc/oidc-state-cookie";
import { cookieHeader, readCookie } from "@/lib/auth/session-cookie";
import { getConfig } from "@/lib/config";
import { loadTerminalSecret } from "@/lib/terminal/terminal-secret";
import { authRoute, sessionCookieHeader } from "../../_lib/auth-route";

export const dynamic = "force-dynamic";

// GET /api/auth/oidc/callback – the identity provider's redirect back: verify, find or create the user, sign in
export async function GET(req: Request): Promise<Response> {
  const config = getConfig();
  const res = await authRoute(req, async () => {
    const r = await finishOidcSignIn(config, () => loadTerminalSecret(config), {
      search: new URL(req.url).search.slice(0, 4096),
      stateCookie: readCookie(req, OIDC_STATE_COOKIE),
      userAgent: req.headers.get("user-agent"),
    });
    const headers = new Headers({ Location: new URL(r.next, config.origin).href });
    headers.append("Set-Cookie", sessionCookieHeader(r.token, config));
    return new Response(null, { status: 303, headers });
  });
  // The state is good for one try, whatever its outcome.
  res.headers.append("Set-Cookie", cookieHeader(OIDC_STATE_COOKIE, "", config, { maxAgeSeconds: 0, path: OIDC_COOKIE_PATH }));
  return res;
}
