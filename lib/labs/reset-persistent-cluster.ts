import type { NeedsInstructorMark, PersistentCluster } from "@/lib/cluster/types";

/** What the lab layer's reset step reports: every check's outcome after the pack's solve(). */
export interface ResetAttempt {
  ok: boolean;
  /** One line per check that still fails ("etcd-healthy: etcd is not serving"). */
  failures: string[];
}

export type ResetResult = { ok: true } | { ok: false; reason: string; mark: NeedsInstructorMark };

export interface ResetOptions {
  /**
   * Runs the pack's solve(ctx, variant) for the injected variant, then every check
   * (release-lab-cluster.ts); this helper only bounds it and records the outcome.
   */
  reset(signal: AbortSignal): Promise<ResetAttempt>;
  /** Shown to the instructor with the mark: scenario, variant, lab session id. */
  context: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Resets a persistent cluster after a lab. A persistent cluster cannot be recreated, so the
 * pack's own solution is the reset; if it throws, times out, or leaves any check failing, the
 * cluster is marked as needing an instructor, and the driver starts no new lab on it until the
 * mark is cleared. A cluster that is already marked is not touched again.
 *
 * The caller releases the cluster afterwards (cluster.destroy()) either way: the mark, not the
 * lease, is what keeps new labs away from a broken cluster.
 *
 * @example
 * const result = await resetPersistentCluster(cluster, {
 *   context: { scenario: pack.id, variant: variant.id, lab: session.id },
 *   timeoutMs: 10 * 60_000,
 *   reset: (signal) => solveThenCheck(signal), // the pack's solve(), then runChecks
 * });
 * await cluster.destroy();
 */
export async function resetPersistentCluster(cluster: PersistentCluster, opts: ResetOptions): Promise<ResetResult> {
  const existing = cluster.needsInstructor();
  if (existing) return { ok: false, reason: `already marked: ${existing.reason}`, mark: existing };

  const ac = new AbortController();
  const onOuterAbort = () => ac.abort(opts.signal?.reason);
  opts.signal?.addEventListener("abort", onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      ac.abort(new Error("reset timed out"));
      resolve("timeout");
    }, opts.timeoutMs);
  });

  let reason: string;
  try {
    const outcome = await Promise.race([opts.reset(ac.signal), timedOut]);
    if (outcome === "timeout") {
      reason = `the reset (solve, then every check) did not finish within ${opts.timeoutMs} ms`;
    } else if (opts.signal?.aborted) {
      reason = "the reset was cancelled before it finished";
    } else if (outcome.ok) {
      return { ok: true };
    } else {
      reason = `after the scenario's solution, checks still fail: ${outcome.failures.join("; ") || "(none named)"}`;
    }
  } catch (err) {
    reason = `the reset failed: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onOuterAbort);
  }
  const mark = cluster.markNeedsInstructor(reason, opts.context);
  return { ok: false, reason, mark };
}
