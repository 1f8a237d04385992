import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";
import type { Check } from "@/lib/scenarios/define-scenario";

export const DEFAULT_CHECK_TIMEOUT_MS = 60_000;

/** One check's outcome, as graded and persisted (CheckRun.results). */
export interface CheckOutcome {
  id: string;
  title: string;
  points: number;
  ok: boolean;
  /** Safe to show a learner: says what is still wrong, never what the fault is. */
  message: string;
  detail?: { actual: string; expected: string };
  durationMs: number;
}

export interface RunChecksOptions {
  /** false: one sample per check, hold windows ignored (the self-test's "must fail" step). */
  hold?: boolean;
  signal?: AbortSignal;
  /** Seams for tests. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Runs one sample of a check, bounded by `timeoutMs`; a throw or a timeout is a failure. */
export async function runOnce(check: Check, ctx: ScenarioContext, timeoutMs: number): Promise<CheckResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          ok: false,
          message: "This check did not finish in time; the cluster may still be settling.",
          detail: { actual: `no result after ${Math.round(timeoutMs / 1000)} s`, expected: "a result" },
        }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      check.run(ctx).catch(
        (err: unknown): CheckResult => ({
          ok: false,
          message: "This check could not be completed; the cluster may still be settling.",
          detail: { actual: err instanceof Error ? err.message.split("\n")[0]! : String(err), expected: "a result" },
        }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Grades one check: a first sample, then, if it passed and the check has a hold window, more
 * samples until the window has passed. Any failing sample fails the check with that sample's
 * message, so "it worked for a moment" never scores.
 */
export async function gradeCheck(check: Check, ctx: ScenarioContext, opts: RunChecksOptions = {}): Promise<CheckOutcome> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  const started = now();
  const timeoutMs = check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  let result = await runOnce(check, ctx, timeoutMs);
  // Hold windows are in cluster time: a time-scaled sim (self-tests) lives through them faster.
  const holdMs = opts.hold === false ? 0 : ((check.holdSeconds ?? 0) * 1000) / Math.max(1, ctx.clock.timeScale);
  if (result.ok && holdMs > 0) {
    const until = started + holdMs;
    const interval = Math.min(5000, Math.max(500, holdMs / 4));
    while (now() < until && !opts.signal?.aborted) {
      await sleep(Math.min(interval, Math.max(0, until - now())), opts.signal);
      const again = await runOnce(check, ctx, timeoutMs);
      if (!again.ok) {
        result = {
          ok: false,
          message: `${again.message} (It passed at first but did not stay that way for ${check.holdSeconds} s.)`,
          ...(again.detail ? { detail: again.detail } : {}),
        };
        break;
      }
    }
  }
  return {
    id: check.id,
    title: check.title,
    points: check.points,
    ok: result.ok,
    message: result.message,
    ...(result.detail ? { detail: result.detail } : {}),
    durationMs: Math.round(now() - started),
  };
}

/**
 * Runs every check (in parallel: checks only read the cluster) with its own timeout and hold
 * window, and reports each as pass or fail, in the pack's order.
 *
 * @example
 * const outcomes = await runChecks(ctx, pack.checks, { signal });
 * const grade = scoreOf(outcomes, hintCosts);
 */
export function runChecks(ctx: ScenarioContext, checks: Check[], opts: RunChecksOptions = {}): Promise<CheckOutcome[]> {
  return Promise.all(checks.map((c) => gradeCheck(c, ctx, opts)));
}
