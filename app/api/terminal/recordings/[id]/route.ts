import { getCurrentUser } from "@/lib/auth/current-user";
import { toHttp } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { services } from "@/lib/server/services";

export const dynamic = "force-dynamic";

// GET /api/terminal/recordings/:id – the asciicast v2 file, streamed, to its owner only
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const user = await getCurrentUser(request);
    const { id } = await ctx.params;
    const { summary, stream } = await services().recordings.open(user.id, id);
    return new Response(stream, {
      headers: {
        "Content-Type": "application/x-asciicast",
        "Content-Disposition": `inline; filename="${summary.node}-${summary.id}.cast"`,
        "Cache-Control": "private, no-store",
      },
    });
  } catch (err) {
    const { status, body } = toHttp(err);
    if (status >= 500) logger.error({ err }, "recording request failed");
    return Response.json(body, { status });
  }
}
