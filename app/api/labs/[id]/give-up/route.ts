import { assertLabAction } from "@/lib/exams/assert-lab-action";
import { services } from "@/lib/server/services";
import { giveUpLab } from "@/lib/labs/end-lab";
import { labIdOf, labRoute, type LabRouteContext } from "../../_lib/lab-route";

// POST /api/labs/:id/give-up – end the lab; the results page then shows the solution
export async function POST(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const id = await labIdOf(ctx);
    await assertLabAction(services().exams, id, user.id, "give-up");
    await giveUpLab(services().labs, id, user.id);
    return Response.json({ ok: true });
  });
}
