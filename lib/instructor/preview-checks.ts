import { ConflictError } from "@/lib/errors";
import { runChecks, type CheckOutcome } from "@/lib/grading/run-checks";
import { getLabCluster, labKubeconfig } from "@/lib/labs/lab-clusters";
import type { LabDeps } from "@/lib/labs/lab-deps";
import { loadOwnedSession } from "@/lib/labs/load-owned-session";
import { scenarioOf } from "@/lib/labs/scenario-of";
import { logger } from "@/lib/logger";

export interface CheckPreview {
  results: CheckOutcome[];
  durationMs: number;
}

/**
 * The instructor panel's "Run checks": every check against the lab's cluster as it is now, with
 * the same admin kubeconfig grading uses, but nothing is recorded. No CheckRun, no score, no state
 * change, so the lab's record (and the pack's analytics) show only the learner's own checks.
 * Only on one's own live lab: the caller has checked that the user is an instructor.
 */
export async function previewChecks(deps: LabDeps, labSessionId: string, userId: string, signal?: AbortSignal): Promise<CheckPreview> {
  const session = await loadOwnedSession(deps, labSessionId, userId);
  if (session.state !== "ready" && session.state !== "checking")
    throw new ConflictError(session.state === "provisioning" ? "The lab is still being prepared." : "This lab has ended.");
  const { pack } = scenarioOf(deps, session);
  const cluster = await getLabCluster(deps, session.id);
  const controller = new AbortController();
  const ctx = await deps.createContext(cluster, {
    signal: signal ? AbortSignal.any([signal, controller.signal]) : controller.signal,
    log: (m) => logger.debug({ labSessionId, preview: true }, m),
    kubeconfig: labKubeconfig(session.id),
  });
  const started = Date.now();
  try {
    const results = await runChecks(ctx, pack.checks, { signal: controller.signal });
    return { results, durationMs: Date.now() - started };
  } finally {
    ctx.dispose();
  }
}
