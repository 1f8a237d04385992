import { checkLab } from "@/lib/labs/check-lab";
import { services } from "@/lib/server/services";
import { labIdOf, labRoute, type LabRouteContext } from "../../_lib/lab-route";

// POST /api/labs/:id/check – grade the cluster as it is now: per-check pass/fail, points, score
export async function POST(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => Response.json(await checkLab(services().labs, await labIdOf(ctx), user.id)));
}
