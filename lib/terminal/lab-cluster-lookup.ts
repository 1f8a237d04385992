import { lookupLabSessionCluster } from "@/lib/labs/lab-cluster-lookup";
import type { LabClusterLookup } from "./lab-session-target-resolver";

/**
 * Where terminals find a lab's live cluster: lib/labs owns lab clusters (attached per session,
 * re-attached through the session's driver after a server restart).
 */
export const lookupLabCluster: LabClusterLookup = (lab) => lookupLabSessionCluster(lab);
