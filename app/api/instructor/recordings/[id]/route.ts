import { NotFoundError } from "@/lib/errors";
import { services } from "@/lib/server/services";
import { instructorRoute } from "../../_lib/instructor-route";

export const dynamic = "force-dynamic";

// GET /api/instructor/recordings/:id – a learner's asciicast (of the instructor's classes; an admin's: any), streamed, for an instructor's review of an attempt
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return instructorRoute(req, async (user) => {
    const { id } = await ctx.params;
    if (!/^[a-z0-9]{8,40}$/.test(id)) throw new NotFoundError("No such recording.");
    const { summary, stream } = await services().recordings.openAsInstructor(id, user);
    return new Response(stream, {
      headers: {
        "Content-Type": "application/x-asciicast",
        "Content-Disposition": `inline; filename="${summary.node}-${summary.id}.cast"`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
