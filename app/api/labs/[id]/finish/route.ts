import { assertLabAction } from "@/lib/exams/assert-lab-action";
import { services } from "@/lib/server/services";
import { finishLab } from "@/lib/labs/end-lab";
import { labIdOf, labRoute, type LabRouteContext } from "../../_lib/lab-route";

// POST /api/labs/:id/finish – grade one last time and end the lab (passed or failed)
export async function POST(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const id = await labIdOf(ctx);
    await assertLabAction(services().exams, id, user.id, "finish");
    return Response.json(await finishLab(services().labs, id, user.id));
  });
}
