import type { Cluster } from "@/lib/cluster/types";
import { BreakfixError } from "@/lib/errors";
import { getLabCluster } from "./lab-clusters";
import type { LabDeps } from "./lab-deps";

/**
 * For the terminal server (lib/terminal's LabClusterLookup, wired in lib/server/services.ts): the
 * live cluster of a lab session, re-attached after a restart if needed; null when it is gone. The
 * caller has already checked that the session belongs to the user and is running.
 */
export async function lookupLabSessionCluster(deps: Pick<LabDeps, "db" | "driverNamed">, lab: { id: string }): Promise<Cluster | null> {
  try {
    return await getLabCluster(deps, lab.id);
  } catch (err) {
    const code = err instanceof BreakfixError ? err.code : undefined;
    if (code === "NOT_FOUND" || code === "UNAVAILABLE") return null;
    throw err;
  }
}
