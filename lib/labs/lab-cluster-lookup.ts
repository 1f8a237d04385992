import type { Cluster } from "@/lib/cluster/types";
import { db } from "@/lib/db";
import { BreakfixError } from "@/lib/errors";
import { getLabCluster } from "./lab-clusters";
import { labDriverNamed } from "./lab-drivers";

/**
 * For the terminal server (lib/terminal's LabClusterLookup): the live cluster of a lab session,
 * re-attached after a restart if needed; null when it is gone. The caller has already checked
 * that the session belongs to the user and is running.
 */
export async function lookupLabSessionCluster(lab: { id: string }): Promise<Cluster | null> {
  try {
    return await getLabCluster({ db: db(), driverNamed: labDriverNamed }, lab.id);
  } catch (err) {
    const code = err instanceof BreakfixError ? err.code : undefined;
    if (code === "NOT_FOUND" || code === "UNAVAILABLE") return null;
    throw err;
  }
}
