import { setMaxListeners } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { getConfig, type Config } from "@/lib/config";
import { db } from "@/lib/db";
import { gitCommitOf } from "@/lib/instructor/git-commit-of";
import { recordSelfTests } from "@/lib/instructor/record-self-tests";
import { applyMigrations } from "@/lib/server/migrate";
import { driverFactories } from "@/lib/cluster/drivers";
import { selectDriver } from "@/lib/cluster/select-driver";
import { isPersistentCluster, type Cluster, type ClusterDriver, type DriverName, type PersistentCluster } from "@/lib/cluster/types";
import { BreakfixError } from "@/lib/errors";
import { registry } from "@/scenarios/index";
import { checkRequirements, clusterFacts, type ClusterFacts } from "@/lib/scenarios/cluster-facts";
import { createScenarioContext } from "@/lib/scenarios/create-scenario-context";
import type { Requirements, Variant } from "@/lib/scenarios/define-scenario";
import { locateProblems, packFieldLocator } from "@/lib/scenarios/authoring/locate-problems";
import { formatProblem, loadScenarios, type LoadedScenario } from "@/lib/scenarios/load-scenarios";
import { formatDuration, formatSelfTestTable, type SelfTestRow } from "@/lib/scenarios/self-test/format-self-test-table";
import { parseScenarioTestArgs, USAGE } from "@/lib/scenarios/self-test/parse-scenario-test-args";
import { runVariantSelfTest } from "@/lib/scenarios/self-test/run-self-test";
import { removeSinceBaseline, takeClusterBaseline } from "@/lib/labs/cluster-baseline";
import type { AcquireOptions } from "@/lib/cluster/ssh/cluster-lease";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import type { RegistryEntry } from "@/lib/scenarios/load-scenarios";
import { WATCH_ROUND_ENV, watchRoundSchema, watchScenarioTest, type WatchRound } from "./watch-scenario-test";

function say(line: string) {
  console.error(line);
}

/** A short cluster name per variant, valid for kind (DNS label, short enough for node names). */
export function selfTestClusterName(slug: string, variantIndex: number, round = 0): string {
  return `st-${slug}`.slice(0, 28).replace(/-+$/, "") + `-${variantIndex + 1}` + (round > 0 ? `r${round + 1}` : "");
}

/** A cluster that is leased to one holder at a time (ssh): the self-test takes it like a lab. */
interface Leasable {
  acquire(holder: string, opts?: AcquireOptions): Promise<unknown>;
  release(holder?: string): boolean;
}

function leasable(c: Cluster): (Cluster & Leasable) | null {
  const l = c as Cluster & Partial<Leasable>;
  return typeof l.acquire === "function" && typeof l.release === "function" ? (l as Cluster & Leasable) : null;
}

/**
 * What a pack needs from a cluster it did not create: its requirements, and at least the
 * workers it would have been given (cluster.workers is the minimum its fault needs).
 */
export function attachedRequirements(pack: { cluster: { workers: number }; requires?: Requirements }): Requirements {
  const workers = Math.max(pack.requires?.workers ?? 0, pack.cluster.workers);
  return { ...pack.requires, ...(workers > 0 ? { workers } : {}) };
}

/**
 * Deletes what a variant created on a persistent cluster, against the baseline taken before its
 * setup. Its own context, not on the run's signal: after Ctrl-C the cleanup still has to happen.
 */
async function removeVariantObjects(cluster: PersistentCluster, say: (line: string) => void): Promise<void> {
  const baseline = cluster.baseline();
  if (!baseline) return;
  let left: string[];
  try {
    const ctx = await createScenarioContext(cluster, { signal: AbortSignal.timeout(240_000) });
    try {
      const r = await removeSinceBaseline(ctx.kubectl, baseline, { timeoutMs: 180_000 });
      if (r.removed.length) say(`  deleted what the variant created: ${r.removed.join(", ")}`);
      left = r.left;
    } finally {
      ctx.dispose();
    }
  } catch (err) {
    left = [err instanceof Error ? err.message : String(err)];
  }
  // The baseline stays when something is left, so the next variant's cleanup tries again.
  if (left.length) say(`  ✘ still on the cluster after the variant: ${left.join("; ")}`);
  else cluster.clearBaseline();
}

/**
 * Takes an attached cluster's lease for this run, as a lab does (ssh: one holder at a time;
 * busy fails at once naming the holder). Returns how to give it back, which is safe to call
 * twice; null for a cluster without leases.
 */
export async function takeSelfTestLease(cluster: Cluster, holder: string, signal?: AbortSignal): Promise<{ giveBack(): boolean } | null> {
  const lease = leasable(cluster);
  if (!lease) return null;
  await lease.acquire(holder, { signal });
  let held = true;
  return {
    giveBack() {
      if (!held) return false;
      held = false;
      return lease.release(holder);
    },
  };
}

/** One variant to prove: its pack, its index in the pack, and where its log lines go. */
interface VariantJob {
  scenario: LoadedScenario;
  variant: Variant;
  index: number;
  /** Which repetition (--repeat), from 0. */
  round: number;
}

interface RunSettings {
  driver: ClusterDriver;
  attached?: { cluster: Cluster; facts: ClusterFacts };
  keep: boolean;
  timeScale: number;
  signal: AbortSignal;
  /** Prints one line; with several variants at once each line carries its variant. */
  say(line: string): void;
  /** Names a field of the pack in messages ("file:line:col → field"). */
  where?: (fieldPath: (string | number)[]) => string;
}

async function testVariant(job: VariantJob, s: RunSettings): Promise<SelfTestRow> {
  const { pack } = job.scenario;
  const { variant } = job;
  const say = s.say;
  say(`▶ ${pack.id} / ${variant.id} — ${variant.title}`);
  let cluster = s.attached?.cluster;
  const t0 = Date.now();
  try {
    if (!cluster) {
      const name = selfTestClusterName(pack.id, job.index, job.round);
      say(`  creating ${s.driver.name} cluster ${name} (${pack.cluster.workers} worker(s)${s.driver.name === "sim" && s.timeScale > 1 ? `, ${s.timeScale}x time` : ""})…`);
      cluster = await s.driver.create({ name, workers: pack.cluster.workers, signal: s.signal, timeScale: s.timeScale });
      const fit = checkRequirements(pack.requires, await clusterFacts(cluster, { waitForCniMs: pack.requires?.cni ? 120_000 : 0 }));
      if (!fit.applicable) return { kind: "not-applicable", slug: pack.id, variant: variant.id, reason: fit.reason };
      if (pack.images?.length && cluster.preloadImages) {
        const report = await cluster.preloadImages(pack.images, { signal: s.signal });
        for (const m of report.missing) say(`  image ${m.image} not available: ${m.reason}`);
      }
      say(`  cluster ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    const ctx = await createScenarioContext(cluster, { signal: s.signal, log: (m) => say(`    ${m}`) });
    // A persistent cluster outlives the run: what the variant creates is deleted afterwards, as
    // a lab's release does, so the next variant (and the next lab) starts from the same state.
    const persistent = isPersistentCluster(cluster) ? cluster : null;
    try {
      if (persistent && !persistent.baseline()) persistent.saveBaseline(await takeClusterBaseline(ctx.kubectl, s.signal));
      return { kind: "ran", result: await runVariantSelfTest(pack, variant, ctx, { signal: s.signal, log: say, genericAntiSolutions: true, ...(s.where ? { where: s.where } : {}) }) };
    } finally {
      ctx.dispose();
      if (persistent) await removeVariantObjects(persistent, say);
    }
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    say(`  ✘ cluster: ${detail}`);
    return {
      kind: "ran",
      result: { slug: pack.id, variant: variant.id, ok: false, ms: Date.now() - t0, steps: [{ step: "setup", ok: false, ms: Date.now() - t0, detail: `no cluster: ${detail}` }] },
    };
  } finally {
    if (cluster && !s.attached) {
      if (s.keep) say(`  kept cluster ${cluster.name}`);
      else await cluster.destroy().catch((e: unknown) => say(`  could not delete cluster ${cluster?.name}: ${String(e)}`));
    }
  }
}

/** Runs jobs with at most `parallel` at once; results keep the jobs' order. */
async function runPool<J, R>(jobs: J[], parallel: number, signal: AbortSignal, run: (job: J) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length && !signal.aborted) {
      const i = next++;
      results[i] = await run(jobs[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
  return results.filter((r) => r !== undefined);
}

export interface SelfTestPackOptions {
  driver: ClusterDriver;
  /** The folder that holds the pack (to name its fields by line in the messages). */
  scenariosDir: string;
  signal: AbortSignal;
  say(line: string): void;
  /** Only this variant; all when absent. */
  variant?: string;
  parallel?: number;
  timeScale?: number;
  keep?: boolean;
  /** An existing cluster to run on (variants one after another), instead of one fresh cluster per variant. */
  attached?: { cluster: Cluster; facts: ClusterFacts };
}

/**
 * Proves one loaded pack, each variant on its own fresh cluster (or all on an attached one),
 * exactly as `npm run scenario:test` does; returns the table's rows. For tools and tests that
 * load a pack from somewhere else than the repo's registry (a scaffolded copy, a watch run).
 *
 * @example
 * const { scenarios } = loadScenarios([{ slug, pack }], dir);
 * const rows = await selfTestPack(scenarios[0]!, { driver, scenariosDir: dir, signal, say: console.error });
 * console.log(formatSelfTestTable(rows));
 */
export async function selfTestPack(scenario: LoadedScenario, o: SelfTestPackOptions): Promise<SelfTestRow[]> {
  const defaults = selfTestDefaults(o.driver.name, { parallel: o.parallel, timeScale: o.timeScale, cluster: o.attached?.cluster.name });
  const jobs: VariantJob[] = scenario.pack.variants
    .map((variant, index) => ({ scenario, variant, index, round: 0 }))
    .filter((j) => !o.variant || j.variant.id === o.variant);
  const where = packFieldLocator(o.scenariosDir, scenario.slug);
  return runPool(jobs, defaults.parallel, o.signal, async (job): Promise<SelfTestRow> => {
    const tag = defaults.parallel > 1 && jobs.length > 1 ? `[${job.scenario.slug}/${job.variant.id}] ` : "";
    if (o.attached) {
      const fit = checkRequirements(attachedRequirements(job.scenario.pack), o.attached.facts);
      if (!fit.applicable) return { kind: "not-applicable", slug: job.scenario.slug, variant: job.variant.id, reason: fit.reason };
    }
    return testVariant(job, {
      driver: o.driver,
      attached: o.attached,
      keep: o.keep ?? false,
      timeScale: defaults.timeScale,
      signal: o.signal,
      say: (line) => o.say(`${tag}${line}`),
      where,
    });
  });
}

/**
 * Defaults for a run on sim: several variants at once (each cluster is its own process and
 * mostly waits) and the cluster clock at 10x, so back-offs, hold windows and wrong-fix windows
 * pass ten times faster while meaning the same cluster time. Real clusters run in real time,
 * one variant after another unless asked.
 */
export function selfTestDefaults(driver: DriverName, args: { parallel?: number; timeScale?: number; cluster?: string }) {
  const sim = driver === "sim";
  return {
    parallel: args.cluster ? 1 : (args.parallel ?? (sim ? 6 : 1)),
    timeScale: sim ? (args.timeScale ?? 10) : 1,
  };
}

/**
 * `--record`: stores the rows where the server reads them (the instructor page), in the database
 * the server would use. The built-in migrations are SQLite's; a PostgreSQL database is migrated
 * by its own deploy step.
 */
async function recordRows(config: Config, driver: DriverName, rows: SelfTestRow[]): Promise<void> {
  if (config.databaseUrl.startsWith("file:")) applyMigrations(config.databaseUrl);
  const n = await recordSelfTests(db(), rows, { driver, gitCommit: await gitCommitOf(process.cwd()) });
  say(`recorded ${n} self-test result(s) for the instructor page`);
}

/** The run as JSON, for bench:labs and CI logs: each variant's steps with their times. */
function writeReport(file: string, report: { driver: DriverName; parallel: number; timeScale: number; wallMs: number; rows: SelfTestRow[] }): void {
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

const registrySchema = z.array(z.object({ slug: z.string(), pack: z.unknown() }));
const baselineSchema = z.object({ takenAt: z.string(), namespaces: z.array(z.string()), objects: z.array(z.string()) });

/**
 * One run of a --watch, in its own process (so the pack is imported as it is now): on the
 * watch's sim cluster, created here when it does not exist (and its baseline recorded), else
 * emptied of what the last run created. Variants run one after another on that cluster, each
 * after a cleanup against the baseline.
 */
async function runWatchRound(args: ReturnType<typeof parseScenarioTestArgs>, round: WatchRound, signal: AbortSignal): Promise<number> {
  const scenariosDir = round.scenariosDir ?? path.join(process.cwd(), "scenarios");
  let entries: RegistryEntry[] = registry;
  if (round.scenariosDir) {
    const mod = (await import(pathToFileURL(path.join(round.scenariosDir, "index.ts")).href)) as { registry?: unknown };
    entries = registrySchema.parse(mod.registry);
  }
  const loaded = loadScenarios(entries, scenariosDir);
  for (const p of locateProblems(loaded.problems.filter((p) => p.slug === args.target), scenariosDir)) say(`✘ ${formatProblem(p)}`);
  const scenario = loaded.scenarios.find((x) => x.slug === args.target);
  if (!scenario) {
    say(`${args.target} does not validate (above), so it is not run. Fix it and save.`);
    return 1;
  }
  const config = getConfig();
  const { driver } = await selectDriver("sim", driverFactories, { config });
  const { timeScale } = selfTestDefaults("sim", args);
  let cluster = await driver.attach(round.cluster);
  const ctxOn = (c: Cluster) => createScenarioContext(c, { signal: AbortSignal.any([signal, AbortSignal.timeout(300_000)]) });
  if (!cluster) {
    const t0 = Date.now();
    say(`creating sim cluster ${round.cluster} (${scenario.pack.cluster.workers} worker(s), ${timeScale}x time)…`);
    cluster = await driver.create({ name: round.cluster, workers: scenario.pack.cluster.workers, signal, timeScale });
    if (scenario.pack.images?.length && cluster.preloadImages) await cluster.preloadImages(scenario.pack.images, { signal });
    const ctx = await ctxOn(cluster);
    try {
      fs.writeFileSync(round.baselineFile, JSON.stringify(await takeClusterBaseline(ctx.kubectl, signal)));
    } finally {
      ctx.dispose();
    }
    say(`cluster ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const baseline = baselineSchema.parse(JSON.parse(fs.readFileSync(round.baselineFile, "utf8")));
  const facts = await clusterFacts(cluster, { waitForCniMs: 10_000 });
  const rows: SelfTestRow[] = [];
  for (const v of scenario.pack.variants.filter((x) => !args.variant || x.id === args.variant)) {
    const ctx = await ctxOn(cluster);
    try {
      const r = await removeSinceBaseline(ctx.kubectl, baseline, { timeoutMs: 180_000, signal });
      if (r.removed.length) say(`deleted what the last run created: ${r.removed.join(", ")}`);
      if (r.left.length) say(`✘ still on the cluster: ${r.left.join("; ")}`);
    } finally {
      ctx.dispose();
    }
    rows.push(...(await selfTestPack(scenario, { driver, scenariosDir, signal, say, variant: v.id, attached: { cluster, facts } })));
    if (signal.aborted) break;
  }
  console.log(`\n${formatSelfTestTable(rows)}`);
  return rows.some((r) => r.kind === "ran" && !r.result.ok) ? 1 : 0;
}

/**
 * `npm run scenario:test -- <slug|all> [--driver sim|kind|ssh] [--variant v] [--cluster name]`:
 * proves each pack on a cluster (one fresh cluster per variant, or an existing one with
 * --cluster), prints the table and returns the exit code (0 only when every variant that applies
 * here passed).
 */
export async function runScenarioTestCli(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseScenarioTestArgs(argv);
  } catch (err) {
    if (err instanceof BreakfixError) {
      say(`${err.message}\n${err.hint ?? USAGE}`);
      return 2;
    }
    throw err;
  }
  const roundEnv = process.env[WATCH_ROUND_ENV];
  if (roundEnv || args.watch) {
    const controller = new AbortController();
    setMaxListeners(1000, controller.signal);
    const onSigint = () => (say("\ninterrupted: cleaning up…"), controller.abort(new Error("interrupted")));
    process.on("SIGINT", onSigint);
    try {
      if (roundEnv) return await runWatchRound(args, watchRoundSchema.parse(JSON.parse(roundEnv)), controller.signal);
      const { driver } = await selectDriver("sim", driverFactories, { config: getConfig() });
      const passArgs = [
        ...(args.variant ? ["--variant", args.variant] : []),
        ...(args.timeScale ? ["--time-scale", String(args.timeScale)] : []),
      ];
      return await watchScenarioTest({ slug: args.target, passArgs, driver, repoRoot: process.cwd(), signal: controller.signal, say });
    } finally {
      process.off("SIGINT", onSigint);
    }
  }
  const scenariosDir = path.join(process.cwd(), "scenarios");
  const loaded = loadScenarios(registry, scenariosDir);
  for (const p of locateProblems(loaded.problems, scenariosDir)) say(`✘ ${formatProblem(p)}`);
  const packs = loaded.scenarios.filter((s) => args.target === "all" || s.slug === args.target);
  if (!packs.length) {
    say(`No valid pack named "${args.target}". Known: ${loaded.scenarios.map((s) => s.slug).join(", ")}`);
    return 2;
  }
  if (args.variant && !packs[0]!.pack.variants.some((v) => v.id === args.variant)) {
    say(`${packs[0]!.slug} has no variant "${args.variant}". Variants: ${packs[0]!.pack.variants.map((v) => v.id).join(", ")}`);
    return 2;
  }
  const config = getConfig();
  const controller = new AbortController();
  // Checks run in parallel, each kubectl and wait listening on this one signal.
  setMaxListeners(1000, controller.signal);
  /** The attached cluster's lease, given back at the end, also on Ctrl-C. */
  let leased: { giveBack(): boolean } | null = null;
  const giveBack = () => {
    if (leased?.giveBack()) say(`released the lease on ${args.cluster}`);
  };
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts === 1) {
      say("\ninterrupted: cleaning up… (Ctrl-C again to stop at once)");
      controller.abort(new Error("interrupted"));
      return;
    }
    // A second Ctrl-C leaves the cleanup, but never the lease: a held lease blocks every lab.
    giveBack();
    process.exit(130);
  };
  process.on("SIGINT", onSigint);
  try {
    const { driver, reason } = await selectDriver(args.driver ?? config.driver, driverFactories, { config });
    say(`driver: ${driver.name} (${reason})`);
    let attached: { cluster: Cluster; facts: ClusterFacts } | undefined;
    if (args.cluster) {
      const cluster = await driver.attach(args.cluster);
      if (!cluster) {
        say(`No ${driver.name} cluster named "${args.cluster}".`);
        return 1;
      }
      // Busy: fails at once naming the lab that holds it; a lab's cluster is not ours to test on.
      const holder = `scenario-test:${process.pid}`;
      leased = await takeSelfTestLease(cluster, holder, controller.signal);
      if (leased) say(`took the lease on ${args.cluster} as ${holder}`);
      const facts = await clusterFacts(cluster, { waitForCniMs: 10_000 });
      say(`attached to ${args.cluster}: ${facts.workers} worker(s), CNI ${facts.cni}`);
      attached = { cluster, facts };
    }
    const { parallel, timeScale } = selfTestDefaults(driver.name, args);
    if (args.timeScale && driver.name !== "sim") say(`--time-scale applies to sim clusters only; ${driver.name} runs in real time.`);
    say(`proving ${packs.length} pack(s), ${parallel} variant(s) at a time${timeScale > 1 ? `, cluster clock at ${timeScale}x` : ""}`);
    const rounds = Array.from({ length: args.repeat ?? 1 }, (_, round) => round);
    const jobs: VariantJob[] = rounds.flatMap((round) =>
      packs.flatMap((scenario) =>
        scenario.pack.variants
          .map((variant, index) => ({ scenario, variant, index, round }))
          .filter((j) => !args.variant || j.variant.id === args.variant),
      ),
    );
    const t0 = Date.now();
    const rows: SelfTestRow[] = await runPool(jobs, parallel, controller.signal, async (job): Promise<SelfTestRow> => {
      const tag = parallel > 1 ? `[${job.scenario.slug}/${job.variant.id}${job.round ? ` #${job.round + 1}` : ""}] ` : "";
      const settings: RunSettings = {
        driver,
        attached,
        keep: args.keep,
        timeScale,
        signal: controller.signal,
        say: (line) => say(`${tag}${line}`),
        where: packFieldLocator(scenariosDir, job.scenario.slug),
      };
      if (attached) {
        const fit = checkRequirements(attachedRequirements(job.scenario.pack), attached.facts);
        if (!fit.applicable) return { kind: "not-applicable", slug: job.scenario.slug, variant: job.variant.id, reason: fit.reason };
      }
      return testVariant(job, settings);
    });
    const wallMs = Date.now() - t0;
    console.log(`\n${formatSelfTestTable(rows)}`);
    console.log(`wall time ${formatDuration(wallMs)} for ${rows.length} variant(s), ${parallel} at a time${timeScale > 1 ? `, ${timeScale}x cluster clock` : ""}`);
    if (args.report) writeReport(args.report, { driver: driver.name, parallel, timeScale, wallMs, rows });
    // An interrupted run did not finish its variants: what it has is not a result to keep.
    if (args.record && !controller.signal.aborted) await recordRows(config, driver.name, rows);
    const failed = rows.some((r) => r.kind === "ran" && !r.result.ok);
    return failed || loaded.problems.length ? 1 : 0;
  } catch (err) {
    if (err instanceof BreakfixError) {
      say(err.message + (err.hint ? `\n${err.hint}` : ""));
      return 1;
    }
    throw err;
  } finally {
    giveBack();
    process.off("SIGINT", onSigint);
  }
}
