import type { Cluster } from "@/lib/cluster/types";
import { NotFoundError, UnavailableError } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";
import type { LabDeps } from "./lab-deps";
import { isLive } from "./lab-states";

interface Registry {
  clusters: Map<string, Cluster>;
  /** Admin kubeconfigs captured when each lab was provisioned (see LabDeps.createContext). */
  kubeconfigs: Map<string, string>;
  /** In-flight re-attaches, so two callers after a restart share one attach. */
  attaching: Map<string, Promise<Cluster>>;
}

// Clusters attached by this process, per lab session. server.ts (re-attach at start-up, the
// terminal server) and route handlers (check, live panel) are two module graphs: one registry.
const registry = () => processSingleton<Registry>("lab-clusters", () => ({ clusters: new Map(), kubeconfigs: new Map(), attaching: new Map() }));

export function registerLabCluster(labSessionId: string, cluster: Cluster, kubeconfig?: string): void {
  registry().clusters.set(labSessionId, cluster);
  if (kubeconfig !== undefined) registry().kubeconfigs.set(labSessionId, kubeconfig);
}

/** The kubeconfig captured at provisioning; undefined after a restart (then read it afresh). */
export function labKubeconfig(labSessionId: string): string | undefined {
  return registry().kubeconfigs.get(labSessionId);
}

export function forgetLabCluster(labSessionId: string): Cluster | undefined {
  const r = registry();
  const c = r.clusters.get(labSessionId);
  r.clusters.delete(labSessionId);
  r.kubeconfigs.delete(labSessionId);
  return c;
}

export function attachedLabCluster(labSessionId: string): Cluster | undefined {
  return registry().clusters.get(labSessionId);
}

/**
 * The cluster of a live lab session: the attached one, or re-attached through the session's
 * driver (after a server restart). Throws NotFoundError for an unknown or finished lab and
 * UnavailableError when the cluster is gone.
 */
export async function getLabCluster(deps: Pick<LabDeps, "db" | "driverNamed">, labSessionId: string): Promise<Cluster> {
  const r = registry();
  const have = r.clusters.get(labSessionId);
  if (have) return have;
  const pending = r.attaching.get(labSessionId);
  if (pending) return pending;
  const p = (async () => {
    const s = await deps.db.labSession.findUnique({ where: { id: labSessionId } });
    if (!s) throw new NotFoundError("There is no such lab.");
    if (!isLive(s.state)) throw new NotFoundError("This lab has ended; its cluster is gone.", { hint: "Start the lab again from the catalogue." });
    if (!s.clusterName) throw new UnavailableError("The lab's cluster is still being created.", { hint: "Wait for the lab to be ready." });
    const driver = deps.driverNamed(s.driver);
    if (!driver) throw new UnavailableError(`The ${s.driver} driver that created this lab is not available in this server.`);
    const cluster = await driver.attach(s.clusterName);
    if (!cluster) {
      throw new UnavailableError("The lab's cluster no longer exists.", { hint: "Reset the lab to get a fresh cluster." });
    }
    r.clusters.set(labSessionId, cluster);
    return cluster;
  })();
  r.attaching.set(labSessionId, p);
  try {
    return await p;
  } finally {
    r.attaching.delete(labSessionId);
  }
}
