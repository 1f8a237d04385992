import { rateLimiter } from "@/lib/server/rate-limit";
import { getLessonProgress } from "@/lib/lessons/get-lesson-progress";
import { services } from "@/lib/server/services";
import { labIdOf, labRoute, type LabRouteContext } from "../../_lib/lab-route";

// GET /api/labs/:id/lesson-progress – each step of the lesson done, current or to do (checks the current step against the cluster)
export async function GET(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const id = await labIdOf(ctx);
    rateLimiter().take("lesson-progress", user.id);
    return Response.json(await getLessonProgress(services().labs, id, user.id));
  });
}
