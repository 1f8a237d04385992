import { getCurrentUser } from "@/lib/auth/current-user";
import { getConfig } from "@/lib/config";
import { authRoute } from "../_lib/auth-route";

export const dynamic = "force-dynamic";

// GET /api/auth/me – who this request is signed in as, and the server's mode
export async function GET(req: Request): Promise<Response> {
  return authRoute(req, async () => {
    const { id, name, email, role } = await getCurrentUser(req);
    return Response.json({ user: { id, name, email, role }, mode: getConfig().mode });
  });
}
