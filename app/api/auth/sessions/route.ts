import { getCurrentUser } from "@/lib/auth/current-user";
import { listAuthSessions } from "@/lib/auth/manage-auth-sessions";
import { authIdOf, authRoute } from "../_lib/auth-route";

export const dynamic = "force-dynamic";

// GET /api/auth/sessions[?userId=…] – your live sessions (an admin may name another user)
export async function GET(req: Request): Promise<Response> {
  return authRoute(req, async () => {
    const user = await getCurrentUser(req);
    const asked = new URL(req.url).searchParams.get("userId");
    const userId = asked === null ? user.id : authIdOf(asked, "user");
    return Response.json({ sessions: await listAuthSessions(user, userId) });
  });
}
