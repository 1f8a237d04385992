import { isPersistentCluster, type Cluster, type PersistentCluster } from "@/lib/cluster/types";
import { runChecks } from "@/lib/grading/run-checks";
import { isLessonId } from "@/lib/lessons/define-lesson";
import { logger, type Logger } from "@/lib/logger";
import { removeSinceBaseline } from "./cluster-baseline";
import type { LabDeps } from "./lab-deps";
import { resetPersistentCluster } from "./reset-persistent-cluster";

export const PERSISTENT_RESET_TIMEOUT_MS = 10 * 60_000;
/** How long deleting what a lab created may take (namespaces empty themselves first). */
export const BASELINE_CLEANUP_TIMEOUT_MS = 3 * 60_000;

/**
 * Gives a lab's cluster back. A throwaway cluster (kind, sim) is destroyed. A persistent one
 * (ssh: the trainer's machines) cannot be recreated, so the pack's own solve() resets it first
 * and every check must pass, graded as a learner's fix is (timeouts, hold windows); if not, the
 * cluster is marked as needing an instructor and no new lab gets it until that is cleared. After
 * a good reset, what the lab created (namespaces, objects in default and kube-system, a few
 * cluster-scoped kinds; see cluster-baseline.ts) is deleted against the baseline taken before
 * setup; a marked cluster keeps it for the instructor to see. It is released (destroy()) either way.
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
        // A lesson breaks nothing for solve() to mend, and its steps' checks describe a lesson in
        // progress, not a clean cluster: what it created goes with the baseline cleanup below.
        if (isLessonId(session.scenarioId)) return { ok: true, failures: [] };
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
    if (result.ok) {
      log.info("persistent cluster reset by the pack's solution");
      await removeLabObjects(deps, cluster, session, log);
    } else log.warn({ reason: result.reason }, "persistent cluster needs an instructor");
  }
  await cluster.destroy();
}

/** Deletes what was added since the baseline; marks the cluster when some of it stays. */
async function removeLabObjects(
  deps: Pick<LabDeps, "createContext">,
  cluster: PersistentCluster,
  session: { id: string; scenarioId: string; variantId: string },
  log: Logger,
): Promise<void> {
  const baseline = cluster.baseline();
  if (!baseline) return;
  const context = { scenario: session.scenarioId, variant: session.variantId, lab: session.id };
  const signal = AbortSignal.timeout(BASELINE_CLEANUP_TIMEOUT_MS + 60_000);
  try {
    const ctx = await deps.createContext(cluster, { signal, log: (m) => log.info(m) });
    try {
      const { removed, left } = await removeSinceBaseline(ctx.kubectl, baseline, { timeoutMs: BASELINE_CLEANUP_TIMEOUT_MS, signal });
      if (left.length) {
        cluster.markNeedsInstructor(`what the lab created could not all be deleted: ${left.join("; ")}`, context);
        log.warn({ left }, "persistent cluster needs an instructor: lab objects remain");
        return;
      }
      cluster.clearBaseline();
      if (removed.length) log.info({ removed }, "deleted what the lab created");
    } finally {
      ctx.dispose();
    }
  } catch (err) {
    // The baseline stays, so the next release tries again.
    cluster.markNeedsInstructor(`deleting what the lab created failed: ${err instanceof Error ? err.message : String(err)}`, context);
    log.warn({ err }, "persistent cluster needs an instructor: lab cleanup failed");
  }
}
