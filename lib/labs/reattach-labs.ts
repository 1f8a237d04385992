import { logger } from "@/lib/logger";
import { registerLabCluster } from "./lab-clusters";
import type { LabDeps } from "./lab-deps";
import { isLabState, LIVE_STATES } from "./lab-states";
import { teardownLab } from "./teardown-lab";
import { transitionLab } from "./transition-lab";

export interface ReattachReport {
  attached: string[];
  /** Labs whose cluster was gone, now `expired`. */
  lost: string[];
  /** Labs that were being prepared when the server stopped, now `failed` (Reset prepares them again). */
  interrupted: string[];
}

/**
 * At server start: every live lab gets its cluster back through its driver, so the learner
 * carries on where they were (terminals reconnect on their own). A lab that was mid-provisioning
 * cannot resume its setup half-way, so it fails plainly and its cluster is cleaned up.
 */
export async function reattachLabs(deps: LabDeps): Promise<ReattachReport> {
  const report: ReattachReport = { attached: [], lost: [], interrupted: [] };
  const live = await deps.db.labSession.findMany({ where: { state: { in: [...LIVE_STATES] } } });
  for (const s of live) {
    const log = logger.child({ labSessionId: s.id, cluster: s.clusterName, driver: s.driver });
    const now = deps.now();
    if (s.state === "provisioning") {
      await transitionLab(deps, s.id, {
        from: "provisioning",
        to: "failed",
        set: { endedAt: now, failure: { message: "The server restarted while this lab was being prepared.", hint: "Press Reset to prepare it again." } },
      });
      await teardownLab(deps, s, "interrupted by a restart");
      report.interrupted.push(s.id);
      continue;
    }
    const driver = deps.driverNamed(s.driver);
    const cluster =
      driver && s.clusterName
        ? await driver.attach(s.clusterName).catch((err: unknown) => {
            log.warn({ err }, "re-attach failed");
            return null;
          })
        : null;
    if (!isLabState(s.state)) continue;
    if (!cluster) {
      await transitionLab(deps, s.id, {
        from: s.state,
        to: "expired",
        set: { endedAt: now, failure: { message: "Its cluster was gone after a server restart.", hint: null } },
      });
      report.lost.push(s.id);
      log.warn("lab cluster is gone after restart; lab expired");
      continue;
    }
    registerLabCluster(s.id, cluster);
    // A check interrupted by the restart simply did not happen.
    if (s.state === "checking") await transitionLab(deps, s.id, { from: "checking", to: "ready", set: { lastActivityAt: now } });
    else await deps.db.labSession.update({ where: { id: s.id }, data: { lastActivityAt: now } });
    report.attached.push(s.id);
    log.info("lab re-attached");
  }
  return report;
}
