import { UnavailableError } from "@/lib/errors";
import type { LabClusterLookup } from "./lab-session-target-resolver";

/**
 * Where terminals find a lab's live cluster. lib/labs owns lab clusters; until it plugs its lookup
 * in here, real lab terminals are unavailable (the dev shell works without it).
 */
export const lookupLabCluster: LabClusterLookup = async () => {
  throw new UnavailableError("Lab clusters are not connected to terminals yet.", { hint: "Use the development shell at /dev/terminal." });
};
