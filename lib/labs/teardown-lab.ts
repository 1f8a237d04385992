import { logger } from "@/lib/logger";
import { stopClusterWatch } from "./cluster-watch";
import { forgetLabCluster } from "./lab-clusters";
import type { LabDeps } from "./lab-deps";
import { forgetProgress } from "./lab-progress";
import { releaseLabCluster } from "./release-lab-cluster";
import { abortProvisionTask } from "./provision-tasks";

/**
 * Stops provisioning, closes the terminals and releases the lab's cluster (re-attaching first
 * if this process never saw it). Best effort: every failure is logged, none is thrown, because
 * the learner's give-up, finish or expiry must not depend on a cluster that is already broken.
 */
export async function teardownLab(
  deps: Pick<LabDeps, "closeTerminals" | "driverNamed" | "findScenario" | "createContext">,
  session: { id: string; driver: string; clusterName: string | null; scenarioId: string; variantId: string },
  reason: string,
): Promise<void> {
  const log = logger.child({ labSessionId: session.id, reason });
  abortProvisionTask(session.id, reason);
  forgetProgress(session.id);
  stopClusterWatch(session.id);
  await deps.closeTerminals(session.id).catch((err: unknown) => log.warn({ err }, "could not close the lab's terminals"));
  let cluster = forgetLabCluster(session.id);
  if (!cluster && session.clusterName) {
    const driver = deps.driverNamed(session.driver);
    cluster = (await driver?.attach(session.clusterName).catch((err: unknown) => {
      log.warn({ err }, "could not re-attach to the lab's cluster to destroy it");
      return null;
    })) ?? undefined;
  }
  if (!cluster) return;
  try {
    await releaseLabCluster(deps, cluster, session);
    log.info({ cluster: cluster.name }, "lab cluster released");
  } catch (err) {
    log.warn({ err, cluster: cluster.name }, "could not destroy the lab's cluster");
  }
}
