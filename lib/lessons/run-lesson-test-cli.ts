import { setMaxListeners } from "node:events";
import { getConfig } from "@/lib/config";
import { driverFactories } from "@/lib/cluster/drivers";
import { selectDriver } from "@/lib/cluster/select-driver";
import type { Cluster, ClusterDriver } from "@/lib/cluster/types";
import { BreakfixError, InputError } from "@/lib/errors";
import { lessonRegistry } from "@/lessons/index";
import { registry } from "@/scenarios/index";
import { selfTestDefaults } from "@/lib/packs/run-scenario-test-cli";
import { createScenarioContext } from "@/lib/scenarios/create-scenario-context";
import { formatProblem } from "@/lib/scenarios/load-scenarios";
import { parseScenarioTestArgs, type ScenarioTestArgs } from "@/lib/scenarios/self-test/parse-scenario-test-args";
import { formatDuration } from "@/lib/scenarios/self-test/format-self-test-table";
import { loadLessons, type LoadedLesson } from "./load-lessons";
import { runLessonSelfTest, type LessonSelfTest } from "./self-test/run-lesson-self-test";

export const LESSON_TEST_USAGE = "Usage: npm run lesson:test -- <slug|all> [--driver sim|kind|ssh] [--parallel N] [--time-scale S] [--keep]";

function say(line: string) {
  console.error(line);
}

/** The scenario:test argument syntax, without what a lesson has no use for (variants, an attached cluster, watch). */
export function parseLessonTestArgs(argv: string[]): ScenarioTestArgs {
  const args = parseScenarioTestArgs(argv);
  const unsupported = (["variant", "cluster", "watch", "repeat", "report"] as const).filter((k) => args[k] !== undefined);
  if (unsupported.length) throw new InputError(`lesson:test does not take --${unsupported.join(", --")}.`, { hint: LESSON_TEST_USAGE });
  return args;
}

/** A short cluster name per lesson, valid for kind (DNS label). */
export function lessonClusterName(slug: string): string {
  return `lt-${slug.replace(/^lesson-/, "")}`.slice(0, 30).replace(/-+$/, "");
}

async function testLesson(l: LoadedLesson, driver: ClusterDriver, o: { timeScale: number; keep: boolean; signal: AbortSignal; say: (line: string) => void }): Promise<LessonSelfTest> {
  const { lesson } = l;
  const t0 = Date.now();
  o.say(`▶ ${lesson.id} — ${lesson.title}`);
  let cluster: Cluster | undefined;
  try {
    cluster = await driver.create({ name: lessonClusterName(lesson.id), workers: lesson.cluster.workers, signal: o.signal, timeScale: o.timeScale });
    if (lesson.images?.length && cluster.preloadImages) await cluster.preloadImages(lesson.images, { signal: o.signal });
    o.say(`  cluster ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const ctx = await createScenarioContext(cluster, { signal: o.signal, log: (m) => o.say(`    ${m}`) });
    try {
      return await runLessonSelfTest(lesson, ctx, { signal: o.signal, log: o.say });
    } finally {
      ctx.dispose();
    }
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    o.say(`  ✘ cluster: ${detail}`);
    return { slug: lesson.id, ok: false, ms: Date.now() - t0, steps: [{ label: "setup", ok: false, ms: Date.now() - t0, detail: `no cluster: ${detail}` }] };
  } finally {
    if (cluster) {
      if (o.keep) o.say(`  kept cluster ${cluster.name}`);
      else { const c = cluster; await c.destroy().catch((e: unknown) => o.say(`  could not delete cluster ${c.name}: ${String(e)}`)); }
    }
  }
}

/** One line per lesson: pass/fail, steps proved, time, and the first failure. */
export function formatLessonTable(rows: LessonSelfTest[]): string {
  const lines = rows.map((r) => {
    const proved = r.steps.filter((s) => s.ok && s.label.endsWith(": passes")).length;
    const bad = r.steps.find((s) => !s.ok);
    return `${r.ok ? "PASS" : "FAIL"}  ${r.slug.padEnd(26)} ${String(proved).padStart(2)} step(s) proved  ${formatDuration(r.ms).padStart(7)}${bad ? `  ${bad.label}: ${bad.detail ?? ""}` : ""}`;
  });
  const passed = rows.filter((r) => r.ok).length;
  return [...lines, `${passed}/${rows.length} lesson(s) passed`].join("\n");
}

/**
 * `npm run lesson:test -- <slug|all> [--driver sim|kind|ssh]`: proves each lesson on a fresh
 * cluster (setup, then each step's check fails, its solve runs, its check passes), several at
 * once on sim, prints the table and returns the exit code (0 only when every lesson passed).
 */
export async function runLessonTestCli(argv: string[]): Promise<number> {
  let args: ScenarioTestArgs;
  try {
    args = parseLessonTestArgs(argv);
  } catch (err) {
    if (err instanceof BreakfixError) {
      say(`${err.message}\n${err.hint ?? LESSON_TEST_USAGE}`);
      return 2;
    }
    throw err;
  }
  const loaded = loadLessons(lessonRegistry, new Set(registry.map((e) => e.slug)));
  for (const p of loaded.problems) say(`✘ ${formatProblem(p)}`);
  const lessons = loaded.lessons.filter((l) => args.target === "all" || l.slug === args.target);
  if (!lessons.length) {
    say(`No valid lesson named "${args.target}". Known: ${loaded.lessons.map((l) => l.slug).join(", ")}`);
    return 2;
  }
  const controller = new AbortController();
  setMaxListeners(1000, controller.signal);
  const onSigint = () => (say("\ninterrupted: cleaning up…"), controller.abort(new Error("interrupted")));
  process.on("SIGINT", onSigint);
  try {
    const config = getConfig();
    const { driver, reason } = await selectDriver(args.driver ?? config.driver, driverFactories, { config });
    const { parallel, timeScale } = selfTestDefaults(driver.name, args);
    say(`driver: ${driver.name} (${reason}); proving ${lessons.length} lesson(s), ${parallel} at a time${timeScale > 1 ? `, cluster clock at ${timeScale}x` : ""}`);
    const rows: LessonSelfTest[] = new Array(lessons.length);
    let next = 0;
    const worker = async () => {
      while (next < lessons.length && !controller.signal.aborted) {
        const i = next++;
        const l = lessons[i]!;
        const tag = parallel > 1 && lessons.length > 1 ? `[${l.slug}] ` : "";
        rows[i] = await testLesson(l, driver, { timeScale, keep: args.keep, signal: controller.signal, say: (line) => say(`${tag}${line}`) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, lessons.length) }, worker));
    const done = rows.filter((r) => r !== undefined);
    console.log(`\n${formatLessonTable(done)}`);
    return done.length === lessons.length && done.every((r) => r.ok) ? 0 : 1;
  } finally {
    process.off("SIGINT", onSigint);
  }
}
