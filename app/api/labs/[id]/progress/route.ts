import { services } from "@/lib/server/services";
import { subscribeProgress } from "@/lib/labs/lab-progress";
import { getLabView } from "@/lib/labs/lab-view";
import { labIdOf, labRoute, type LabRouteContext } from "../../_lib/lab-route";
import { sseResponse } from "../../_lib/sse";

export const dynamic = "force-dynamic";

// GET /api/labs/:id/progress – provisioning steps (cluster → setup → inject → ready) as Server-Sent Events
export async function GET(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const id = await labIdOf(ctx);
    const view = await getLabView(services().labs, id, user.id);
    return sseResponse(req, (send, close) => {
      send("progress", view.progress);
      if (view.progress.done || view.progress.error || view.state !== "provisioning") {
        close();
        return () => undefined;
      }
      return subscribeProgress(id, (p) => {
        send("progress", p);
        if (p.done || p.error) close();
      });
    });
  });
}
