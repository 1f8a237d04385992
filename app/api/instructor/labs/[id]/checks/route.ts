import { previewChecks } from "@/lib/instructor/preview-checks";
import { rateLimiter } from "@/lib/server/rate-limit";
import { services } from "@/lib/server/services";
import { labIdOf, type LabRouteContext } from "../../../../labs/_lib/lab-route";
import { instructorRoute } from "../../../_lib/instructor-route";

// POST /api/instructor/labs/:id/checks – run every check on your own lab without recording it (instructor panel)
export async function POST(req: Request, ctx: LabRouteContext): Promise<Response> {
  return instructorRoute(req, async (user) => {
    const id = await labIdOf(ctx);
    rateLimiter().take("lab-check", user.id);
    return Response.json(await previewChecks(services().labs, id, user.id, req.signal));
  });
}
