import { ConflictError } from "@/lib/errors";
import { ClusterWatch, subscribeClusterWatch } from "@/lib/labs/cluster-watch";
import { services } from "@/lib/server/services";
import { getLabCluster, labKubeconfig } from "@/lib/labs/lab-clusters";
import { isLive } from "@/lib/labs/lab-states";
import { loadOwnedSession } from "@/lib/labs/load-owned-session";
import { touchLab } from "@/lib/labs/touch-lab";
import { labIdOf, labRoute, type LabRouteContext } from "../../_lib/lab-route";
import { sseResponse } from "../../_lib/sse";

export const dynamic = "force-dynamic";

// GET /api/labs/:id/cluster-stream – nodes, pods and events of the lab's cluster, live, as Server-Sent Events
export async function GET(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const deps = services().labs;
    const id = await labIdOf(ctx);
    const session = await loadOwnedSession(deps, id, user.id);
    if (!isLive(session.state) || session.state === "provisioning") {
      throw new ConflictError("The lab has no running cluster to show.");
    }
    const cluster = await getLabCluster(deps, id);
    const create = () => new ClusterWatch({ kubeconfig: async () => labKubeconfig(id) ?? (await cluster.kubeconfig()) });
    return sseResponse(req, (send, close) => {
      const off = subscribeClusterWatch(id, create, (s) => send("snapshot", s), close);
      // An open lab page is a lab in use: it must not expire while the learner works in it.
      const keepAlive = setInterval(() => void touchLab(deps, id).catch(() => undefined), 60_000);
      return () => {
        clearInterval(keepAlive);
        off();
      };
    });
  });
}
