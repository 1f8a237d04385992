import { isPersistentCluster, type Cluster } from "@/lib/cluster/types";
import { runChecks } from "@/lib/grading/run-checks";
import { logger } from "@/lib/logger";
import type { LabDeps } from "./lab-deps";
import { resetPersistentCluster } from "./reset-persistent-cluster";

export const PERSISTENT_RESET_TIMEOUT_MS = 10 * 60_000;

/**
 * Gives a lab's cluster back. A throwaway cluster (kind, sim) is destroyed. A persistent one
 * (ssh: the trainer's machines) cannot be recreated, so the pack's own solve() resets it first
 * and every check must pass, graded as a learner's fix is (timeouts, hold windows); if not, the
 * cluster is marked as needing an instructor and no new lab gets it until that is cleared. It is
 * released (destroy()) either way.
 */
export async function releaseLabCluster(
  deps: Pick<LabDeps, "findScenario" | "createContext">,
  cluster: Cluster,
  session: { id: string; scenarioId: string; variantId: string },
): Promise<void> {
  const log = logger.child({ labSessionId: session.id, cluster: cluster.name });
  if (isPersistentCluster(cluster)) {
    const scenario = deps.findScenario(session.scenarioId);
    const variant = scenario?.pack.variants.find((v) => v.id === session.variantId);
    const result = await resetPersistentCluster(cluster, {
      context: { scenario: session.scenarioId, variant: session.variantId, lab: session.id },
      timeoutMs: PERSISTENT_RESET_TIMEOUT_MS,
      async reset(signal) {
        if (!scenario || !variant) return { ok: false, failures: [`the pack ${session.scenarioId}/${session.variantId} is no longer installed`] };
        const ctx = await deps.createContext(cluster, { signal, log: (m) => log.info(m) });
        try {
          await scenario.pack.solve(ctx, variant);
          const outcomes = await runChecks(ctx, scenario.pack.checks, { signal });
          const failures = outcomes.filter((o) => !o.ok).map((o) => `${o.id}: ${o.message}`);
          return { ok: failures.length === 0, failures };
        } finally {
          ctx.dispose();
        }
      },
    });
    if (result.ok) log.info("persistent cluster reset by the pack's solution");
    else log.warn({ reason: result.reason }, "persistent cluster needs an instructor");
  }
  await cluster.destroy();
}
