import { runOnce, DEFAULT_CHECK_TIMEOUT_MS } from "@/lib/grading/run-checks";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";
import { DEFAULT_SETTLE_MS, realTimeWindows } from "@/lib/scenarios/self-test/run-self-test";
import type { Lesson, LessonStep } from "../define-lesson";

export interface LessonStepResult {
  /** "setup", or the step's id with what was proved: "<id>: fails", "<id>: solve", "<id>: passes". */
  label: string;
  ok: boolean;
  ms: number;
  detail?: string;
}

export interface LessonSelfTest {
  slug: string;
  ok: boolean;
  steps: LessonStepResult[];
  ms: number;
}

export interface LessonSelfTestOptions {
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Cluster time a step's check gets to pass after its solve (default 120 s, scaled like a pack's). */
  settleMs?: number;
  pollMs?: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => (clearTimeout(t), resolve());
    const t = setTimeout(() => (signal?.removeEventListener("abort", onAbort), resolve()), ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const sample = (step: LessonStep, ctx: ScenarioContext): Promise<CheckResult> =>
  runOnce({ id: step.id, title: step.title, points: 1, run: step.check }, ctx, step.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS);

const describe = (r: CheckResult) => `${r.message}${r.detail ? ` [${r.detail.actual} ≠ ${r.detail.expected}]` : ""}`;

/**
 * The self-test of a lesson: setup, then for each step in order its check must fail, its solve
 * runs, and its check must pass within the settle time. Later steps start from what earlier ones
 * left, exactly as a learner's do, so a step whose check already passes before its solve proves
 * nothing and fails the run. Stops at the first failure.
 *
 * @example
 * const r = await runLessonSelfTest(lesson, ctx, { log: console.error });
 * if (!r.ok) process.exitCode = 1;
 */
export async function runLessonSelfTest(lesson: Lesson, ctx: ScenarioContext, opts: LessonSelfTestOptions = {}): Promise<LessonSelfTest> {
  const t0 = Date.now();
  const { settleMs, pollMs } = realTimeWindows(
    { settleMs: opts.settleMs ?? DEFAULT_SETTLE_MS, antiWindowMs: 0, pollMs: opts.pollMs ?? 2000 },
    ctx.clock.timeScale,
  );
  const log = opts.log ?? (() => undefined);
  const steps: LessonStepResult[] = [];
  const record = (r: LessonStepResult) => {
    steps.push(r);
    log(`  ${r.ok ? "✔" : "✘"} ${r.label} ${(r.ms / 1000).toFixed(1)} s${r.detail ? ` — ${r.detail}` : ""}`);
    return r.ok;
  };
  const timed = async (label: string, fn: () => Promise<{ ok: boolean; detail?: string }>) => {
    const s = Date.now();
    try {
      const r = await fn();
      return record({ label, ms: Date.now() - s, ...r });
    } catch (err) {
      return record({ label, ok: false, ms: Date.now() - s, detail: err instanceof Error ? err.message : String(err) });
    }
  };
  const done = (): LessonSelfTest => ({ slug: lesson.id, ok: steps.every((s) => s.ok), steps, ms: Date.now() - t0 });

  if (!(await timed("setup", async () => (await lesson.setup?.(ctx), { ok: true })))) return done();
  for (const [i, step] of lesson.steps.entries()) {
    const at = `lessons/${lesson.id}/lesson.ts → steps.${i}`;
    const before = await timed(`${step.id}: fails`, async () => {
      const r = await sample(step, ctx);
      return r.ok
        ? { ok: false, detail: `${at} (${step.id}): the check passed before the step was done (${r.message}); a check that passes already proves nothing` }
        : { ok: true, detail: r.message };
    });
    if (!before) return done();
    if (!(await timed(`${step.id}: solve`, async () => (await step.solve(ctx), { ok: true })))) return done();
    const after = await timed(`${step.id}: passes`, async () => {
      const deadline = Date.now() + settleMs;
      let last: CheckResult;
      do {
        last = await sample(step, ctx);
        if (last.ok) return { ok: true, detail: last.message };
        await sleep(pollMs, opts.signal);
      } while (Date.now() < deadline && !opts.signal?.aborted);
      return { ok: false, detail: `${at} (${step.id}): after ${Math.round(settleMs / 1000)} s the check still fails: ${describe(last)}` };
    });
    if (!after) return done();
  }
  return done();
}
