import { ConflictError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { getLabCluster, labKubeconfig } from "./lab-clusters";
import type { GradeOutcome, LabDeps } from "./lab-deps";
import { loadOwnedSession } from "./load-owned-session";
import { scenarioOf } from "./scenario-of";
import { transitionLab } from "./transition-lab";

/** Sum of the costs of the hints this lab has revealed. */
export async function hintPenaltyOf(deps: Pick<LabDeps, "db">, labSessionId: string): Promise<number> {
  const agg = await deps.db.hintUse.aggregate({ where: { labSessionId }, _sum: { cost: true } });
  return agg._sum.cost ?? 0;
}

/**
 * Runs every check against the cluster as it is now. The session is `checking` meanwhile, so
 * two presses of Check never grade at once; it returns to `ready` whatever happens.
 */
export async function checkLab(deps: LabDeps, labSessionId: string, userId: string): Promise<GradeOutcome> {
  const session = await loadOwnedSession(deps, labSessionId, userId);
  const claimed = await transitionLab(deps, session.id, { from: "ready", to: "checking", set: { lastActivityAt: deps.now() } });
  if (!claimed) {
    throw new ConflictError(
      session.state === "checking"
        ? "A check is already running for this lab."
        : session.state === "provisioning"
          ? "The lab is still being prepared."
          : "This lab has ended.",
      { hint: session.state === "checking" ? "Wait for it to finish." : undefined },
    );
  }
  try {
    const { pack, variant } = scenarioOf(deps, session);
    const cluster = await getLabCluster(deps, session.id);
    const controller = new AbortController();
    const ctx = await deps.createContext(cluster, {
      signal: controller.signal,
      log: (m) => logger.debug({ labSessionId }, m),
      kubeconfig: labKubeconfig(session.id),
    });
    let outcome: GradeOutcome;
    try {
      const hintPenalty = await hintPenaltyOf(deps, session.id);
      outcome = await deps.grade({ labSessionId: session.id, pack, variant, ctx, hintPenalty, signal: controller.signal });
    } finally {
      ctx.dispose();
    }
    await deps.db.labSession.update({
      where: { id: session.id },
      data: { score: outcome.score, maxScore: outcome.maxScore },
    });
    return outcome;
  } finally {
    await transitionLab(deps, session.id, { from: "checking", to: "ready", set: { lastActivityAt: deps.now() } });
  }
}
