/**
 * npm run bench:labs [-- --samples 2 --checks 2 --packs hello-pod,etcd-crashloop --modes cold,warm] [--self-test]
 *
 * Start → ready and Check latency per pack on the sim driver, cold (every lab prepares its own
 * cluster) and warm (labs taken from the lab pool), through the real lib/labs functions against a
 * real SQLite database in a temporary data dir. Targets (issue "speed where learners wait"):
 * ready ≤ 1 s from the pool, Check ≤ 1 s on sim. The machine's load average is printed with the
 * figures, since the numbers mean little without it.
 *
 * --self-test also runs `npm run scenario:test -- all --driver sim` (its defaults: variants in
 * parallel, 10x cluster clock) and prints each pack's self-test time from its JSON report.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const SAMPLES = Number(flag("samples", "2"));
const CHECKS = Number(flag("checks", "2"));
const MODES = flag("modes", "cold,warm").split(",").filter((m): m is "cold" | "warm" => m === "cold" || m === "warm");
const SELF_TEST = process.argv.includes("--self-test");
const PACKS = flag("packs", "");
/** Bound on one lab's preparation (cold) or on the pool's refill (warm). */
const READY_TIMEOUT_MS = Number(flag("ready-timeout-s", "300")) * 1000;

if (!Number.isInteger(SAMPLES) || SAMPLES < 1 || !Number.isInteger(CHECKS) || CHECKS < 1 || MODES.length === 0) {
  console.error("usage: npm run bench:labs -- [--samples N≥1] [--checks N≥1] [--packs a,b] [--modes cold,warm] [--ready-timeout-s S]");
  process.exit(2);
}

// Before lib/ is loaded: the config and the logger read the environment once.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-labs-"));
process.env.BREAKFIX_DATA_DIR = dataDir;
process.env.BREAKFIX_DRIVER = "sim";
process.env.BREAKFIX_LAB_POOL_SIZE = "0"; // the bench starts the pool itself, for the warm runs only
process.env.LOG_LEVEL ??= "warn";
delete process.env.DATABASE_URL;

/** Nearest-rank percentile. */
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | null> | T | null): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`gave up after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let stopClusters = async (): Promise<void> => undefined;

for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    console.error(`\n${sig}: stopping the bench's clusters`);
    void stopClusters()
      .catch(() => undefined)
      .finally(() => {
        fs.rmSync(dataDir, { recursive: true, force: true });
        process.exit(130);
      });
  });
}

interface Row {
  pack: string;
  mode: "cold" | "warm";
  ready: number[];
  check: number[];
  /** Labs that did not come from the pool in a warm run (should be 0). */
  missed: number;
}

async function main(): Promise<void> {
  const { getConfig } = await import("@/lib/config");
  const { applyMigrations } = await import("@/lib/server/migrate");
  const { runShutdownHooks } = await import("@/lib/server/shutdown");
  const { services } = await import("@/lib/server/services");
  const { startLabSession } = await import("@/lib/labs/start-lab-session");
  const { checkLab } = await import("@/lib/labs/check-lab");
  const { giveUpLab } = await import("@/lib/labs/end-lab");
  const { startWarmLabPool } = await import("@/lib/labs/start-warm-lab-pool");
  const { getScenarios } = await import("@/lib/packs/registry");

  applyMigrations(getConfig().databaseUrl);
  const deps = services().labs;
  const all = getScenarios().scenarios.map((s) => s.pack);
  const packs = PACKS ? all.filter((p) => PACKS.split(",").includes(p.id)) : all;
  if (packs.length === 0) throw new Error(`no pack matches --packs ${PACKS} (have: ${all.map((p) => p.id).join(", ")})`);
  const user = await deps.db.user.create({ data: { name: "bench" } });
  const rows: Row[] = [];
  const row = (pack: string, mode: Row["mode"]) => {
    let r = rows.find((x) => x.pack === pack && x.mode === mode);
    if (!r) rows.push((r = { pack, mode, ready: [], check: [], missed: 0 }));
    return r;
  };

  // The first sim cluster of a data dir builds the daemon bundle; a running server has done that long ago.
  const driver = await deps.driver();
  // Each sim cluster is a detached daemon that outlives this process, so an interrupted run (an error,
  // Ctrl-C, a timeout) gives up its live labs, drains the pool, and waits until every cluster dir is
  // gone: a cluster still being created is destroyed by its lab's (or the pool's) abort when it arrives.
  stopClusters = async () => {
    const live = await deps.db.labSession.findMany({ where: { state: { in: ["provisioning", "ready", "checking"] } } });
    for (const s of live) await giveUpLab(deps, s.id, s.userId).catch(() => undefined);
    await runShutdownHooks(30_000);
    const root = path.join(dataDir, "sim");
    const left = () =>
      fs.existsSync(root) ? fs.readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name) : [];
    const end = Date.now() + 40_000;
    while (left().length && Date.now() < end) {
      for (const name of await driver.list()) await (await driver.attach(name))?.destroy();
      await new Promise((r) => setTimeout(r, 500));
    }
    if (left().length) console.error(`sim clusters left running under ${root}: ${left().join(", ")}`);
  };
  await (await driver.create({ name: "bench-warm-up", workers: 0 })).destroy();

  const loadBefore = load();
  console.log(`bench:labs — sim, ${packs.length} packs, ${SAMPLES} samples each, ${CHECKS} checks per lab; ${os.cpus().length} CPUs, load ${loadBefore}`);

  /** One lab: Start → ready, then Check CHECKS times, then Give up (which destroys its cluster). */
  const oneLab = async (r: Row, scenario: string, variant: string | undefined, pooled: Set<string>) => {
    const t0 = performance.now();
    const { id } = await startLabSession(deps, { userId: user.id, scenario, variant });
    const s = await until(`${scenario} to be ready`, READY_TIMEOUT_MS, async () => {
      const x = await deps.db.labSession.findUniqueOrThrow({ where: { id } });
      if (x.state === "failed") throw new Error(`${scenario} failed to start: ${x.failureMessage ?? "no reason recorded"}`);
      return x.state === "ready" ? x : null;
    });
    r.ready.push(performance.now() - t0);
    if (r.mode === "warm" && !pooled.has(s.clusterName ?? "")) r.missed++;
    for (let i = 0; i < CHECKS; i++) {
      const c0 = performance.now();
      await checkLab(deps, id, user.id);
      r.check.push(performance.now() - c0);
    }
    await giveUpLab(deps, id, user.id);
    console.log(`  ${r.mode} ${scenario}/${s.variantId}: ready ${fmt(r.ready.at(-1)!)}, checks ${r.check.slice(-CHECKS).map(fmt).join(" ")}`);
  };

  try {
    if (MODES.includes("cold")) {
      for (const pack of packs) {
        for (let i = 0; i < SAMPLES; i++) await oneLab(row(pack.id, "cold"), pack.id, pack.variants[i % pack.variants.length]!.id, new Set());
      }
    }
    if (MODES.includes("warm")) {
      const pool = await startWarmLabPool(deps, { size: 1, packs });
      if (!pool) throw new Error("the lab pool did not start");
      const fillStart = performance.now();
      for (let i = 0; i < SAMPLES; i++) {
        for (const pack of packs) {
          // Wait for the pool's lab of this pack (refilled in the background), then time the learner's Start.
          const ready = await until(`the pool to prepare ${pack.id}`, READY_TIMEOUT_MS, () => {
            const names = pool.snapshot().ready.filter((x) => x.scenarioId === pack.id).map((x) => x.cluster);
            return names.length ? new Set(names) : null;
          });
          if (i === 0 && pack === packs[0]) console.log(`  pool: first lab prepared after ${fmt(performance.now() - fillStart)}`);
          await oneLab(row(pack.id, "warm"), pack.id, undefined, ready);
        }
      }
    }
  } finally {
    await stopClusters();
  }

  const header = ["pack", "mode", "n", "ready p50", "ready p95", "check p50", "check p95", "from pool"];
  const table = rows.map((r) => [
    r.pack,
    r.mode,
    String(r.ready.length),
    fmt(percentile(r.ready, 50)),
    fmt(percentile(r.ready, 95)),
    fmt(percentile(r.check, 50)),
    fmt(percentile(r.check, 95)),
    r.mode === "warm" ? `${r.ready.length - r.missed}/${r.ready.length}` : "-",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log("");
  console.log(line(header));
  for (const t of table) console.log(line(t));
  console.log(`\nload average (1/5/15 min): before ${loadBefore}, after ${load()}; ${os.cpus().length} CPUs`);
  console.log("targets: warm ready ≤ 1 s; check ≤ 1 s on sim");
  if (SELF_TEST) selfTestFigures();
}

const selfTestReport = z.object({
  parallel: z.number(),
  timeScale: z.number(),
  wallMs: z.number(),
  rows: z.array(
    z.union([
      z.object({ kind: z.literal("ran"), result: z.object({ slug: z.string(), variant: z.string(), ok: z.boolean(), ms: z.number() }) }),
      z.object({ kind: z.literal("not-applicable"), slug: z.string(), variant: z.string() }),
    ]),
  ),
});

/** Runs every pack's self-test on sim as CI does and prints the time per pack. */
function selfTestFigures(): void {
  const report = path.join(dataDir, "self-test.json");
  console.log("\nself-test: npm run scenario:test -- all --driver sim …");
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/scenario-test.ts", "all", "--driver", "sim", "--report", report], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, BREAKFIX_DATA_DIR: path.join(dataDir, "self-test") },
  });
  if (!fs.existsSync(report)) throw new Error(`scenario:test wrote no report (exit ${r.status})`);
  const parsed = selfTestReport.parse(JSON.parse(fs.readFileSync(report, "utf8")));
  const packs = new Map<string, { variants: number; passed: number; sumMs: number; maxMs: number }>();
  for (const row of parsed.rows) {
    if (row.kind !== "ran") continue;
    const p = packs.get(row.result.slug) ?? { variants: 0, passed: 0, sumMs: 0, maxMs: 0 };
    p.variants++;
    if (row.result.ok) p.passed++;
    p.sumMs += row.result.ms;
    p.maxMs = Math.max(p.maxMs, row.result.ms);
    packs.set(row.result.slug, p);
  }
  console.log(`\n${"pack".padEnd(20)}  variants  passed  longest variant  all variants (sum)`);
  for (const [slug, p] of packs) console.log(`${slug.padEnd(20)}  ${String(p.variants).padEnd(8)}  ${String(p.passed).padEnd(6)}  ${fmt(p.maxMs).padEnd(15)}  ${fmt(p.sumMs)}`);
  const variants = [...packs.values()].reduce((n, p) => n + p.variants, 0);
  const sum = [...packs.values()].reduce((n, p) => n + p.sumMs, 0);
  console.log(
    `wall ${fmt(parsed.wallMs)} for ${variants} variants (${parsed.parallel} at a time, ${parsed.timeScale}x cluster clock; ${fmt(performance.now() - t0)} with start-up); ` +
      `${fmt(sum / Math.max(1, variants))} per variant on average, so 60 variants ≈ ${fmt(((sum / Math.max(1, variants)) * 60) / parsed.parallel)} at this width`,
  );
  console.log("target: every pack's self-test, 60 variants, ≤ 15 min on 2 cores");
}

main()
  .then(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  })
  .catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(1);
  });
