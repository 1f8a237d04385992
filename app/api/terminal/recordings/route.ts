import { getCurrentUser } from "@/lib/auth/current-user";
import { InputError, toHttp } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { services } from "@/lib/server/services";

export const dynamic = "force-dynamic";

// GET /api/terminal/recordings?labSessionId=… – the terminal recordings of one of your labs
export async function GET(request: Request): Promise<Response> {
  try {
    const user = await getCurrentUser(request);
    const labSessionId = new URL(request.url).searchParams.get("labSessionId");
    if (!labSessionId || !/^[A-Za-z0-9_-]{1,200}$/.test(labSessionId)) throw new InputError("labSessionId is required.");
    const recordings = await services().recordings.list(user.id, labSessionId);
    return Response.json({ recordings }, { headers: { "Cache-Control": "private, no-store" } });
  } catch (err) {
    const { status, body } = toHttp(err);
    if (status >= 500) logger.error({ err }, "recording list failed");
    return Response.json(body, { status });
  }
}
