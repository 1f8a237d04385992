import type { Cluster } from "@/lib/cluster/types";
import type { AcquireOptions, ClusterLease } from "./cluster-lease";
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
  /**
   * Takes the cluster for `holder` (a lab session id, "scenario-test:<pid>"). The same holder may
   * take it again. Busy: ConflictError naming the holder at once, or TimeoutError after waitMs.
   * driver.create() already does this with holder = spec.name; use it after driver.attach().
   */
  acquire(holder: string, opts?: AcquireOptions): Promise<ClusterLease>;
  /** Gives the cluster back; with `holder`, only if that holder has it. Returns whether it did. */
  release(holder?: string): boolean;
  needsInstructor(): NeedsInstructorMark | null;
  markNeedsInstructor(reason: string, context?: Record<string, string>): NeedsInstructorMark;
}

export type PersistentCluster = Cluster & PersistentClusterControls;

export function isPersistentCluster(c: Cluster): c is PersistentCluster {
  return (c as Partial<PersistentClusterControls>).persistent === true;
}
