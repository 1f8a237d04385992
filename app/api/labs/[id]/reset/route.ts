import { services } from "@/lib/server/services";
import { resetLab } from "@/lib/labs/reset-lab";
import { labIdOf, labRoute, type LabRouteContext } from "../../_lib/lab-route";

// POST /api/labs/:id/reset – a fresh cluster with the same fault; progress streams again
export async function POST(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    await resetLab(services().labs, await labIdOf(ctx), user.id);
    return Response.json({ ok: true }, { status: 202 });
  });
}
