import type { SimClock } from "./clock";
import type { LogSource, SimComponent } from "./contracts";
import type { SimNodeSpec } from "./node/node-spec";
import type { ObjectStore } from "./store/object-store";

/**
 * The workload side of a sim cluster (controllers, scheduler, kubelets, events, kube-system
 * content), started by sim-cluster.ts. Each part is wired here as it lands, so a cluster without
 * them still serves its API with nodes and namespaces.
 */
export interface WorkloadContext {
  store: ObjectStore;
  clock: SimClock;
  clusterName: string;
  nodes: SimNodeSpec[];
  caPem: string;
}

export interface WorkloadComponents {
  components: SimComponent[];
  /** Pod logs, from the kubelets. */
  logs?: LogSource;
}

export function startWorkloadComponents(_ctx: WorkloadContext): WorkloadComponents {
  return { components: [] };
}
