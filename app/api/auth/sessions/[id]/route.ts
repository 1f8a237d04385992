import { getCurrentUser } from "@/lib/auth/current-user";
import { revokeAuthSession } from "@/lib/auth/manage-auth-sessions";
import { getConfig } from "@/lib/config";
import { authIdOf, authRoute, clearSessionCookieHeader } from "../../_lib/auth-route";

export const dynamic = "force-dynamic";

// DELETE /api/auth/sessions/:id – revoke one of your sessions (an admin: anyone's)
export async function DELETE(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return authRoute(req, async () => {
    const user = await getCurrentUser(req);
    const id = authIdOf((await ctx.params).id, "session");
    const r = await revokeAuthSession(user, id);
    const headers: HeadersInit = r.current ? { "Set-Cookie": clearSessionCookieHeader(getConfig()) } : {};
    return Response.json({ revoked: r.id }, { headers });
  });
}
