import { runChecks, type CheckOutcome } from "@/lib/grading/run-checks";
import type { ScenarioContext } from "../context";
import type { AntiSolution, ScenarioPack, Variant } from "../define-scenario";
import { genericAntiSolutions } from "./generic-anti-solutions";

export const DEFAULT_SETTLE_MS = 120_000;

export type StepName = "setup" | "inject" | "fails" | "anti" | "reset" | "solve" | "passes";

export interface StepResult {
  step: StepName;
  /** For anti-solution steps: which one. */
  label?: string;
  ok: boolean;
  ms: number;
  /** What went wrong (or, for checks, which ones were off). */
  detail?: string;
}

export interface VariantSelfTest {
  slug: string;
  variant: string;
  ok: boolean;
  steps: StepResult[];
  ms: number;
}

export interface SelfTestOptions {
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** How often checks are sampled while waiting for the cluster to settle. */
  pollMs?: number;
  /** Overrides the pack's settleMs (tests). */
  settleMs?: number;
  /** How long a wrong fix is watched for a pass (default: the settle time, at most 60 s). */
  antiWindowMs?: number;
  /**
   * Also try the wrong fixes every pack must survive (reset only, restart the kubelet only:
   * generic-anti-solutions.ts). On in the CLI; off by default for unit tests of the runner.
   */
  genericAntiSolutions?: boolean;
  /**
   * Names a field of the pack for the messages, as the validator does: "file:line:col → field"
   * (the CLI locates it in scenario.ts). Default: "scenarios/<id>/scenario.ts → field".
   */
  where?: (fieldPath: (string | number)[]) => string;
}

/** "scenarios/<id>/scenario.ts → checks.1": a pack's field without its line (see SelfTestOptions.where). */
export function fieldOfPack(pack: Pick<ScenarioPack, "id">): (fieldPath: (string | number)[]) => string {
  return (fieldPath) => `scenarios/${pack.id}/scenario.ts → ${fieldPath.join(".") || "(pack)"}`;
}

/**
 * Settle, anti-solution and poll times are cluster time: on a time-scaled sim they pass faster in
 * real time, like the back-offs and hold windows they wait for. A settle time still gets at least
 * 90 real seconds (bounded by its own length), because kubectl and the API do not run faster, and
 * on a loaded machine (six packs at once beside a build) a static pod restart alone can take 30;
 * it ends as soon as the cluster is where it should be, so the floor costs nothing when all is well.
 */
/** The least real time a settle wait gets on a time-scaled cluster. */
export const SETTLE_FLOOR_MS = 90_000;

export function realTimeWindows(
  clusterMs: { settleMs: number; antiWindowMs: number; pollMs: number },
  timeScale: number,
): { settleMs: number; antiWindowMs: number; pollMs: number } {
  const scale = Math.max(1, timeScale);
  return {
    settleMs: Math.min(clusterMs.settleMs, Math.max(clusterMs.settleMs / scale, SETTLE_FLOOR_MS)),
    antiWindowMs: clusterMs.antiWindowMs / scale,
    pollMs: Math.max(clusterMs.pollMs / scale, Math.min(clusterMs.pollMs, 500)),
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => (clearTimeout(t), resolve());
    const t = setTimeout(() => (signal?.removeEventListener("abort", onAbort), resolve()), ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The check ids that must fail right after inject: the variant's list, the pack's, or all. */
export function expectedFailing(pack: ScenarioPack, variant: Variant): string[] {
  return variant.failingAfterInject ?? pack.failingAfterInject ?? pack.checks.map((c) => c.id);
}

function describeMismatch(pack: ScenarioPack, outcomes: CheckOutcome[], mustFail: Set<string>, where: (p: (string | number)[]) => string): string {
  const wrong = outcomes.filter((o) => o.ok === mustFail.has(o.id));
  return wrong
    .map((o) => {
      const at = `${where(["checks", pack.checks.findIndex((c) => c.id === o.id)])} (${o.id})`;
      return o.ok
        ? `${at}: ${o.id} passed but must fail right after inject (a check that passes on the broken cluster proves nothing)`
        : `${at}: ${o.id} failed but must pass: ${o.message} (list only the checks this fault breaks in failingAfterInject)`;
    })
    .join("; ");
}

function summary(outcomes: CheckOutcome[]): string {
  return outcomes.map((o) => `${o.id}=${o.ok ? "pass" : "fail"}`).join(" ");
}

/**
 * Polls single samples of every check until exactly the expected ones fail, or the settle time
 * runs out. Faults take time to show (etcd restarts, back-offs), so one early sample proves nothing.
 */
export async function waitForFailingSet(
  pack: ScenarioPack,
  ctx: ScenarioContext,
  mustFail: Set<string>,
  settleMs: number,
  opts: SelfTestOptions,
): Promise<{ ok: boolean; detail: string }> {
  const deadline = Date.now() + settleMs;
  let last = "";
  do {
    const outcomes = await runChecks(ctx, pack.checks, { hold: false, signal: opts.signal });
    const mismatch = describeMismatch(pack, outcomes, mustFail, opts.where ?? fieldOfPack(pack));
    if (!mismatch) return { ok: true, detail: summary(outcomes) };
    last = mismatch;
    await sleep(opts.pollMs ?? 3000, opts.signal);
  } while (Date.now() < deadline && !opts.signal?.aborted);
  return { ok: false, detail: `after ${Math.round(settleMs / 1000)} s: ${last}` };
}

/**
 * Polls until every check passes in one sample, then grades for real (with hold windows). Returns
 * as soon as a graded run passes; gives up when the settle time runs out.
 */
async function waitForAllPass(
  pack: ScenarioPack,
  ctx: ScenarioContext,
  settleMs: number,
  opts: SelfTestOptions,
): Promise<{ ok: boolean; detail: string }> {
  const deadline = Date.now() + settleMs;
  let last = "";
  do {
    const quick = await runChecks(ctx, pack.checks, { hold: false, signal: opts.signal });
    if (quick.every((o) => o.ok)) {
      const graded = await runChecks(ctx, pack.checks, { signal: opts.signal });
      if (graded.every((o) => o.ok)) return { ok: true, detail: summary(graded) };
      last = graded.filter((o) => !o.ok).map((o) => `${o.id}: ${o.message}`).join("; ");
    } else {
      last = quick.filter((o) => !o.ok).map((o) => `${o.id}: ${o.message}${o.detail ? ` [${o.detail.actual} ≠ ${o.detail.expected}]` : ""}`).join("; ");
    }
    await sleep(opts.pollMs ?? 3000, opts.signal);
  } while (Date.now() < deadline && !opts.signal?.aborted);
  return { ok: false, detail: `after ${Math.round(settleMs / 1000)} s still failing: ${last}` };
}

async function timed(step: StepName, fn: () => Promise<{ ok: boolean; detail?: string } | void>, label?: string): Promise<StepResult> {
  const t0 = Date.now();
  try {
    const r = await fn();
    return { step, ...(label ? { label } : {}), ok: r ? r.ok : true, ms: Date.now() - t0, ...(r?.detail ? { detail: r.detail } : {}) };
  } catch (err) {
    return { step, ...(label ? { label } : {}), ok: false, ms: Date.now() - t0, detail: errText(err) };
  }
}

/**
 * The self-test of one variant: setup → inject → the expected checks fail → each
 * anti-solution leaves some check failing → reset to the injected state → solve() → every check
 * passes and holds for its window. Stops at the first step that fails.
 *
 * @example
 * const r = await runVariantSelfTest(pack, pack.variants[0]!, ctx, { log: console.log });
 * if (!r.ok) process.exitCode = 1;
 */
export async function runVariantSelfTest(
  pack: ScenarioPack,
  variant: Variant,
  ctx: ScenarioContext,
  opts: SelfTestOptions = {},
): Promise<VariantSelfTest> {
  const t0 = Date.now();
  const clusterSettleMs = opts.settleMs ?? pack.settleMs ?? DEFAULT_SETTLE_MS;
  const windows = realTimeWindows(
    { settleMs: clusterSettleMs, antiWindowMs: opts.antiWindowMs ?? Math.min(clusterSettleMs, 60_000), pollMs: opts.pollMs ?? 3000 },
    ctx.clock.timeScale,
  );
  const settleMs = windows.settleMs;
  opts = { ...opts, pollMs: windows.pollMs };
  const mustFail = new Set(expectedFailing(pack, variant));
  const log = opts.log ?? (() => undefined);
  const steps: StepResult[] = [];
  const run = async (s: () => Promise<StepResult>): Promise<boolean> => {
    const r = await s();
    steps.push(r);
    log(`  ${r.ok ? "✔" : "✘"} ${r.step}${r.label ? ` (${r.label})` : ""} ${(r.ms / 1000).toFixed(1)} s${r.detail ? ` — ${r.detail}` : ""}`);
    return r.ok;
  };
  const done = () => ({ slug: pack.id, variant: variant.id, ok: steps.every((s) => s.ok), steps, ms: Date.now() - t0 });

  if (!(await run(() => timed("setup", () => pack.setup(ctx))))) return done();
  if (!(await run(() => timed("inject", () => pack.inject(ctx, variant))))) return done();
  if (!(await run(() => timed("fails", () => waitForFailingSet(pack, ctx, mustFail, settleMs, opts))))) return done();

  const where = opts.where ?? fieldOfPack(pack);
  const antis: { anti: AntiSolution; at: string }[] = [
    ...(pack.antiSolutions ?? [])
      .map((anti, i) => ({ anti, at: `${where(["antiSolutions", i])} (${anti.id})` }))
      .filter(({ anti: a }) => !a.variants || a.variants.includes(variant.id)),
    // A generic wrong fix is not in the pack: what lets it pass is the pack's checks.
    ...(opts.genericAntiSolutions ? genericAntiSolutions(pack).map((anti) => ({ anti, at: `${where(["checks"])} (generic wrong fix ${anti.id})` })) : []),
  ];
  for (const { anti, at } of antis) {
    const ok = await run(() =>
      timed(
        "anti",
        async () => {
          await anti.apply(ctx, variant);
          // The wrong fix gets the same chance to pass as the right one.
          const r = await waitForAllPass(pack, ctx, windows.antiWindowMs, opts);
          return r.ok
            ? { ok: false, detail: `${at}: every check passed after this wrong fix, "${anti.title}" (${r.detail}); add a check it breaks` }
            : { ok: true, detail: r.detail.replace(/^after \d+ s still failing: /, "still failing: ") };
        },
        anti.id,
      ),
    );
    if (!ok) return done();
    const reset = await run(() =>
      timed(
        "reset",
        async () => {
          await anti.revert?.(ctx, variant);
          await pack.inject(ctx, variant);
          return waitForFailingSet(pack, ctx, mustFail, settleMs, opts);
        },
        anti.id,
      ),
    );
    if (!reset) return done();
  }

  if (!(await run(() => timed("solve", () => pack.solve(ctx, variant))))) return done();
  await run(() => timed("passes", () => waitForAllPass(pack, ctx, settleMs, opts)));
  return done();
}
