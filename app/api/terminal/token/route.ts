import { getCurrentUser } from "@/lib/auth/current-user";
import { getConfig } from "@/lib/config";
import { toHttp } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { services } from "@/lib/server/services";
import { issueTerminalToken } from "@/lib/terminal/terminal-service";
import { parseTokenRequest } from "@/lib/terminal/token-request";

export const dynamic = "force-dynamic";

// POST /api/terminal/token – a 60-second token for one terminal on one node of one lab session
export async function POST(request: Request): Promise<Response> {
  try {
    const user = await getCurrentUser(request);
    const { labSessionId, node } = await parseTokenRequest(request, getConfig());
    const issued = await issueTerminalToken(services().terminals, { userId: user.id, labSessionId, node });
    return Response.json(issued, { headers: { "Cache-Control": "no-store" } });
  } catch (err) {
    const { status, body } = toHttp(err);
    if (status >= 500) logger.error({ err }, "terminal token request failed");
    return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
  }
}
