import { assertLabAction } from "@/lib/exams/assert-lab-action";
import { services } from "@/lib/server/services";
import { resetLab } from "@/lib/labs/reset-lab";
import { labIdOf, labRoute, type LabRouteContext } from "../../_lib/lab-route";

// POST /api/labs/:id/reset – a fresh cluster with the same fault; progress streams again
export async function POST(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const id = await labIdOf(ctx);
    await assertLabAction(services().exams, id, user.id, "reset");
    await resetLab(services().labs, id, user.id);
    return Response.json({ ok: true }, { status: 202 });
  });
}
