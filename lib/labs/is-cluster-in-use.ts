import type { LabDeps } from "./lab-deps";
import { LIVE_STATES } from "./lab-states";

/**
 * Whether a live lab session owns the cluster `name`. A driver's garbage collector must not
 * delete a cluster for which this is true.
 */
export async function isClusterInUse(deps: Pick<LabDeps, "db">, name: string): Promise<boolean> {
  const n = await deps.db.labSession.count({ where: { clusterName: name, state: { in: [...LIVE_STATES] } } });
  return n > 0;
}
