import { services } from "@/lib/server/services";
import { getLabView } from "@/lib/labs/lab-view";
import { touchLab } from "@/lib/labs/touch-lab";
import { labIdOf, labRoute, type LabRouteContext } from "../_lib/lab-route";

// GET /api/labs/:id – the lab page's data (state, brief, nodes, hints, last check, progress)
export async function GET(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const id = await labIdOf(ctx);
    const view = await getLabView(services().labs, id, user.id);
    await touchLab(services().labs, id);
    return Response.json(view);
  });
}
