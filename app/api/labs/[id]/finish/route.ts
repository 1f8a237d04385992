import { services } from "@/lib/server/services";
import { finishLab } from "@/lib/labs/end-lab";
import { labIdOf, labRoute, type LabRouteContext } from "../../_lib/lab-route";

// POST /api/labs/:id/finish – grade one last time and end the lab (passed or failed)
export async function POST(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => Response.json(await finishLab(services().labs, await labIdOf(ctx), user.id)));
}
