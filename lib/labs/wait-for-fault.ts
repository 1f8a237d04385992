import type { ScenarioContext } from "@/lib/scenarios/context";
import type { ScenarioPack, Variant } from "@/lib/scenarios/define-scenario";
import { DEFAULT_SETTLE_MS, expectedFailing, waitForFailingSet } from "@/lib/scenarios/self-test/run-self-test";

/** How often checks are sampled while a lab waits for its fault; a learner is waiting, so often. */
export const FAULT_POLL_MS = 500;

export interface FaultWait {
  /** False when the settle time ran out first; detail then says which checks were off. */
  shown: boolean;
  detail: string;
  ms: number;
}

/**
 * Waits until exactly the variant's expected checks fail, as the self-test's "fails" step does,
 * bounded by the pack's settle time. A fault takes time to show (etcd restarts, back-offs): a lab
 * called ready before that would score a Check against a cluster that is not broken yet.
 */
export async function waitForFault(
  pack: ScenarioPack,
  variant: Variant,
  ctx: ScenarioContext,
  opts: { signal?: AbortSignal; pollMs?: number; settleMs?: number } = {},
): Promise<FaultWait> {
  const t0 = Date.now();
  const settleMs = opts.settleMs ?? pack.settleMs ?? DEFAULT_SETTLE_MS;
  const r = await waitForFailingSet(pack, ctx, new Set(expectedFailing(pack, variant)), settleMs, {
    signal: opts.signal,
    pollMs: opts.pollMs ?? FAULT_POLL_MS,
  });
  return { shown: r.ok, detail: r.detail, ms: Date.now() - t0 };
}
