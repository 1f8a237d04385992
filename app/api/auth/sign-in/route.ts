import { signInSchema, signInWithPassword } from "@/lib/auth/sign-in-with-password";
import { getConfig } from "@/lib/config";
import { ConflictError } from "@/lib/errors";
import { clientAddressOf } from "@/lib/server/client-address";
import { bodyOf } from "../../labs/_lib/lab-route";
import { authRoute, sessionCookieHeader } from "../_lib/auth-route";

export const dynamic = "force-dynamic";

// POST /api/auth/sign-in – email + password; starts a session (HttpOnly cookie)
export async function POST(req: Request): Promise<Response> {
  return authRoute(req, async () => {
    const config = getConfig();
    if (config.mode !== "shared") throw new ConflictError("This server runs in local mode, where nobody signs in.");
    const body = await bodyOf(req, signInSchema);
    const r = await signInWithPassword({ ...body, clientAddress: clientAddressOf(req), userAgent: req.headers.get("user-agent") });
    return Response.json({ user: r.user }, { headers: { "Set-Cookie": sessionCookieHeader(r.token, config) } });
  });
}
