import { ConflictError } from "@/lib/errors";
import { ClusterWatch, observeClusterWatch } from "@/lib/labs/cluster-watch";
import { getLabCluster, labKubeconfig } from "@/lib/labs/lab-clusters";
import { isLive } from "@/lib/labs/lab-states";
import { LabTimeline, subscribeLabTimeline } from "@/lib/labs/lab-timeline";
import { loadOwnedSession } from "@/lib/labs/load-owned-session";
import { services } from "@/lib/server/services";
import { matchesFilter, withOffsets } from "@/lib/timeline/timeline-feed";
import { parseTimelineQuery } from "@/lib/timeline/timeline-query";
import { labIdOf, labRoute, type LabRouteContext } from "../../_lib/lab-route";
import { sseResponse } from "../../_lib/sse";

export const dynamic = "force-dynamic";

// GET /api/labs/:id/timeline?namespace=&pod= – what each component did, row by row, live, as Server-Sent Events
export async function GET(req: Request, ctx: LabRouteContext): Promise<Response> {
  return labRoute(req, async (user) => {
    const deps = services().labs;
    const id = await labIdOf(ctx);
    const filter = parseTimelineQuery(new URL(req.url).searchParams);
    const session = await loadOwnedSession(deps, id, user.id);
    if (!isLive(session.state) || session.state === "provisioning") {
      throw new ConflictError("The lab has no running cluster to show.");
    }
    const cluster = await getLabCluster(deps, id);
    const createWatch = () => new ClusterWatch({ kubeconfig: async () => labKubeconfig(id) ?? (await cluster.kubeconfig()) });
    const create = () => new LabTimeline({ cluster, observe: (fn, onStopped) => observeClusterWatch(id, createWatch, fn, onStopped) });
    return sseResponse(req, (send, close) => {
      let origin: number | undefined;
      const { rows, off } = subscribeLabTimeline(
        id,
        create,
        (batch) => {
          const mine = batch.filter((r) => matchesFilter(r, filter));
          if (!mine.length) return;
          origin ??= Date.parse(mine[0]!.at);
          send("rows", withOffsets(mine, origin));
        },
        close,
      );
      const first = rows.filter((r) => matchesFilter(r, filter));
      origin = first.length ? Math.min(...first.map((r) => Date.parse(r.at))) : undefined;
      // The opening message says where offsets count from; the page shows it, then appends.
      send("snapshot", { origin: origin === undefined ? null : new Date(origin).toISOString(), rows: origin === undefined ? [] : withOffsets(first, origin) });
      return off;
    });
  });
}
