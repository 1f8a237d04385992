import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import type { ClusterDriver } from "@/lib/cluster/types";

/**
 * `npm run scenario:test -- <slug> --watch`: re-runs one pack's self-test whenever a file in
 * scenarios/<slug>/ changes. Packs are TypeScript modules, and a module once imported stays
 * cached, so every run is a fresh child process (tsx scripts/scenario-test.ts) that imports the
 * pack as it is now. The sim cluster lives in its own daemon and outlives each child: it is kept
 * between runs when that is safe (see watchPlan) and deleted when the watch ends.
 */

/** What the parent tells a child run, in BREAKFIX_WATCH_ROUND (JSON). */
export const watchRoundSchema = z.object({
  /** The sim cluster to run on: created by the child when it does not exist. */
  cluster: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/),
  /** Where the child keeps the cluster's baseline (what it held before the pack's first setup). */
  baselineFile: z.string().min(1),
  /** Folder with the packs and their index.ts; the repo's scenarios/ when absent (tests use a copy). */
  scenariosDir: z.string().min(1).optional(),
});
export type WatchRound = z.infer<typeof watchRoundSchema>;
export const WATCH_ROUND_ENV = "BREAKFIX_WATCH_ROUND";

export interface WatchDecision {
  cluster: "reuse" | "fresh";
  why: string;
}

/**
 * Whether the next run may keep the cluster. Only when the pack's code is unchanged (just
 * brief.md or solution.md was edited: solution.md feeds the hint check) and the last run passed:
 * then every variant ended solved, and what the pack created is deleted against the baseline
 * before the run. A changed scenario.ts may inject something else, or need other workers, and a
 * failed run may have left a node half broken (a moved manifest, an edited file): a fresh cluster.
 *
 * @example
 * watchPlan({ changed: ["brief.md"], lastPassed: true, haveCluster: true }) // { cluster: "reuse", … }
 */
export function watchPlan(s: { changed: string[]; lastPassed: boolean | undefined; haveCluster: boolean }): WatchDecision {
  if (!s.haveCluster) return { cluster: "fresh", why: "no cluster yet" };
  const code = s.changed.filter((f) => !/\.md$/i.test(f));
  if (code.length) return { cluster: "fresh", why: `${code.join(", ")} changed` };
  if (!s.lastPassed) return { cluster: "fresh", why: "the last run failed, so the cluster may be left broken" };
  return { cluster: "reuse", why: `only ${s.changed.join(", ")} changed and the last run passed` };
}

export interface WatchOptions {
  slug: string;
  /** Arguments passed on to every run (--variant, --time-scale, --parallel). */
  passArgs: string[];
  /** The sim driver, to delete the cluster on a fresh run and at the end. */
  driver: ClusterDriver;
  repoRoot: string;
  scenariosDir?: string;
  signal: AbortSignal;
  say(line: string): void;
  debounceMs?: number;
  /** Called after each run with its exit code and the decision it ran under (tests). */
  onRun?(run: { n: number; code: number; decision: WatchDecision }): void;
}

/** A cluster name for the watch: a DNS label, short enough for node names. */
export function watchClusterName(slug: string): string {
  return `watch-${slug}`.slice(0, 32).replace(/-+$/, "");
}

/** Runs until the signal aborts; returns the last run's exit code. */
export async function watchScenarioTest(o: WatchOptions): Promise<number> {
  const scenariosDir = o.scenariosDir ?? path.join(o.repoRoot, "scenarios");
  const dir = path.join(scenariosDir, o.slug);
  if (!fs.existsSync(dir)) {
    o.say(`There is no folder scenarios/${o.slug}/ to watch.`);
    return 2;
  }
  const name = watchClusterName(o.slug);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-watch-"));
  const round: WatchRound = { cluster: name, baselineFile: path.join(tmp, "baseline.json"), ...(o.scenariosDir ? { scenariosDir: o.scenariosDir } : {}) };
  const tsx = path.join(o.repoRoot, "node_modules", ".bin", "tsx");
  const deleteCluster = async () => {
    const c = await o.driver.attach(name);
    if (c) await c.destroy();
    fs.rmSync(round.baselineFile, { force: true });
  };
  // A cluster left by an earlier watch that was killed: its state is unknown.
  await deleteCluster();

  let n = 0;
  let lastCode = 0;
  let lastPassed: boolean | undefined;
  let child: ChildProcess | null = null;
  const pending = new Set<string>(["(start)"]);
  let timer: NodeJS.Timeout | undefined;

  const runOnce = async (): Promise<void> => {
    const changed = [...pending];
    pending.clear();
    const haveCluster = (await o.driver.attach(name)) !== null;
    const decision = n === 0 ? { cluster: "fresh" as const, why: "first run" } : watchPlan({ changed, lastPassed, haveCluster });
    n += 1;
    if (decision.cluster === "fresh") await deleteCluster();
    o.say(`\n▶ watch run #${n}: ${decision.cluster === "reuse" ? `keeping sim cluster ${name}` : `a new sim cluster ${name}`} (${decision.why})`);
    const code = await new Promise<number>((resolve) => {
      child = spawn(tsx, [path.join(o.repoRoot, "scripts", "scenario-test.ts"), o.slug, "--driver", "sim", ...o.passArgs], {
        cwd: o.repoRoot,
        env: { ...process.env, [WATCH_ROUND_ENV]: JSON.stringify(round) },
        stdio: ["ignore", "inherit", "inherit"],
      });
      child.once("error", (err) => (o.say(`could not start the run: ${err.message}`), resolve(1)));
      child.once("exit", (c, sig) => resolve(c ?? (sig ? 130 : 1)));
    });
    child = null;
    lastCode = code;
    lastPassed = code === 0;
    o.onRun?.({ n, code, decision });
    if (!o.signal.aborted) o.say(`\n${lastPassed ? "✔" : "✘"} run #${n} ${lastPassed ? "passed" : `failed (exit ${code})`}; watching scenarios/${o.slug}/ for changes (Ctrl-C ends the watch)`);
  };

  let running: Promise<void> | null = null;
  const kick = () => {
    if (running || o.signal.aborted || !pending.size) return;
    running = runOnce().finally(() => {
      running = null;
      if (pending.size && !o.signal.aborted) kick();
    });
  };
  const watcher = fs.watch(dir, (_event, file) => {
    // Editors write temp files next to the real one; only the pack's own files count.
    const f = file?.toString() ?? "";
    if (!/\.(ts|md|ya?ml|json)$/.test(f) || /^\.|~$|\.swp$/.test(f)) return;
    pending.add(f);
    clearTimeout(timer);
    timer = setTimeout(kick, o.debounceMs ?? 400);
  });
  kick();
  await new Promise<void>((resolve) => {
    if (o.signal.aborted) return resolve();
    o.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  watcher.close();
  clearTimeout(timer);
  // The run in progress is asked to clean up, as on Ctrl-C, and waited for.
  const c = child as ChildProcess | null;
  if (c && c.exitCode === null) c.kill("SIGINT");
  await running;
  await deleteCluster().catch((err: unknown) => o.say(`could not delete sim cluster ${name}: ${String(err)}`));
  fs.rmSync(tmp, { recursive: true, force: true });
  o.say(`watch ended; deleted sim cluster ${name}`);
  return lastCode;
}
