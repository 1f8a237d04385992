import { services } from "@/lib/server/services";
import { giveUpLab } from "@/lib/labs/end-lab";
import { labIdOf, labRoute, type LabRouteContext } from "../../_lib/lab-route";

// POST /api/labs/:id/give-up – end the lab; the results page then shows the solution
export async function POST(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    await giveUpLab(services().labs, await labIdOf(ctx), user.id);
    return Response.json({ ok: true });
  });
}
