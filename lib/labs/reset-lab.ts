import { ConflictError, UnavailableError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { LabDeps } from "./lab-deps";
import { initialProgress, publishProgress } from "./lab-progress";
import { loadOwnedSession } from "./load-owned-session";
import { provisionLab } from "./provision-lab";
import { scenarioOf } from "./scenario-of";
import { teardownLab } from "./teardown-lab";
import { transitionLab } from "./transition-lab";

/**
 * Throws the cluster away and prepares a fresh one with the same fault. Hints already revealed
 * stay charged and earlier checks stay in the record: a reset is a new cluster, not a new attempt.
 * Allowed on a ready lab and on one whose provisioning failed.
 */
export async function resetLab(deps: LabDeps, labSessionId: string, userId: string): Promise<void> {
  const session = await loadOwnedSession(deps, labSessionId, userId);
  const provisioningFailed = session.state === "failed" && session.readyAt === null;
  if (session.state !== "ready" && !provisioningFailed) {
    throw new ConflictError(
      session.state === "checking"
        ? "A check is running; reset when it has finished."
        : session.state === "provisioning"
          ? "The lab is still being prepared."
          : "This lab has ended; start it again from the catalogue.",
    );
  }
  const { pack, variant } = scenarioOf(deps, session);
  const driver = deps.driverNamed(session.driver);
  if (!driver) throw new UnavailableError(`The ${session.driver} driver of this lab is not available in this server.`);
  const claimed = await transitionLab(deps, session.id, {
    from: provisioningFailed ? "failed" : "ready",
    to: "provisioning",
    set: { readyAt: null, endedAt: null, lastActivityAt: deps.now() },
  });
  if (!claimed) throw new ConflictError("The lab changed while resetting; try again.");
  // Counted once the reset is ours (after the compare-and-set), so a refused reset is not one.
  await deps.db.labSession.update({ where: { id: session.id }, data: { resetCount: { increment: 1 } } });
  await teardownLab(deps, session, "reset");
  await deps.db.labSession.update({ where: { id: session.id }, data: { clusterName: null } });
  publishProgress(initialProgress(session.id, driver.label));
  provisionLab(deps, { labSessionId: session.id, driver, pack, variant }).catch((err: unknown) =>
    logger.error({ err, labSessionId: session.id }, "provisioning crashed"),
  );
}
