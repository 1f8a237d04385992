import type { LabDeps } from "./lab-deps";
import { LIVE_STATES } from "./lab-states";

/** Marks a live lab as in use now (page views, terminal input), postponing its expiry. */
export async function touchLab(deps: Pick<LabDeps, "db" | "now">, labSessionId: string): Promise<void> {
  await deps.db.labSession.updateMany({
    where: { id: labSessionId, state: { in: [...LIVE_STATES] } },
    data: { lastActivityAt: deps.now() },
  });
}
