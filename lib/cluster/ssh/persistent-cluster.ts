import type { Cluster } from "@/lib/cluster/types";
import type { ClusterLease } from "./cluster-lease";
import type { NeedsInstructorMark } from "./needs-instructor";

/**
 * A cluster that outlives labs (the ssh driver's). It cannot be recreated, so the lab layer
 * resets it through the pack's own solve() (see reset-persistent-cluster.ts) and must not start
 * a lab on it while it is marked as needing an instructor.
 */
export interface PersistentClusterControls {
  persistent: true;
  /** Who holds the cluster now (one lab at a time), or null. */
  lease(): ClusterLease | null;
  needsInstructor(): NeedsInstructorMark | null;
  markNeedsInstructor(reason: string, context?: Record<string, string>): NeedsInstructorMark;
}

export type PersistentCluster = Cluster & PersistentClusterControls;

export function isPersistentCluster(c: Cluster): c is PersistentCluster {
  return (c as Partial<PersistentClusterControls>).persistent === true;
}
