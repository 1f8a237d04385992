import { getCurrentUser } from "@/lib/auth/current-user";
import { revokeAuthSession } from "@/lib/auth/manage-auth-sessions";
import { getConfig } from "@/lib/config";
import { ConflictError } from "@/lib/errors";
import { bodyOf } from "../../labs/_lib/lab-route";
import { z } from "zod";
import { authRoute, clearSessionCookieHeader } from "../_lib/auth-route";

export const dynamic = "force-dynamic";

// POST /api/auth/sign-out – revokes this browser's session and clears its cookie
export async function POST(req: Request): Promise<Response> {
  const res = await authRoute(req, async () => {
    await bodyOf(req, z.strictObject({}));
    const user = await getCurrentUser(req);
    if (!user.sessionId) throw new ConflictError("This server runs in local mode, where nobody signs out.");
    await revokeAuthSession(user, user.sessionId);
    return Response.json({ signedOut: true });
  });
  // A cookie naming no live session is cleared too: the browser has nothing worth keeping.
  if (getConfig().mode === "shared") res.headers.append("Set-Cookie", clearSessionCookieHeader(getConfig()));
  return res;
}
