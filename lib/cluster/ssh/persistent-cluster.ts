import type { Cluster, PersistentClusterCapability } from "@/lib/cluster/types";
import type { AcquireOptions, ClusterLease } from "./cluster-lease";

/**
 * The ssh driver's persistent cluster: the contract's PersistentClusterCapability (the lab layer
 * resets it through the pack's own solve() and marks it when that fails) plus the lease that
 * keeps it to one lab at a time.
 */
export interface PersistentClusterControls extends PersistentClusterCapability {
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
}

export type PersistentCluster = Cluster & PersistentClusterControls;

export function isPersistentCluster(c: Cluster): c is PersistentCluster {
  return (c as Partial<PersistentClusterControls>).persistent === true;
}
