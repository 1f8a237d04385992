import { rateLimiter } from "@/lib/server/rate-limit";
import { assertLabAction } from "@/lib/exams/assert-lab-action";
import { checkLab } from "@/lib/labs/check-lab";
import { services } from "@/lib/server/services";
import { labIdOf, labRoute, type LabRouteContext } from "../../_lib/lab-route";

// POST /api/labs/:id/check – grade the cluster as it is now: per-check pass/fail, points, score
export async function POST(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const id = await labIdOf(ctx);
    await assertLabAction(services().exams, id, user.id, "check");
    rateLimiter().take("lab-check", user.id);
    return Response.json(await checkLab(services().labs, id, user.id));
  });
}
