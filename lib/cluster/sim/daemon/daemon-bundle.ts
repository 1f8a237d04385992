import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * The sim daemon runs from a single esbuild bundle rather than through tsx: no TypeScript
 * loader and no esbuild service process per cluster, which keeps each cluster's RSS down.
 * The bundle is rebuilt when a source under lib/cluster/sim (or lib/*.ts it uses) is newer.
 */

const BANNER = 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

export interface DaemonBundleOptions {
  repoRoot: string;
  outDir: string;
  signal?: AbortSignal;
  /** Which entry: one cluster per process (default) or the shared host of many clusters. */
  entry?: "sim-daemon-main" | "sim-host-main";
}

/** Builds in progress in this process, by output path: clusters created at once share one build. */
const building = new Map<string, Promise<string>>();

/** Returns the path of an up-to-date bundle of the daemon entry, building it if needed. */
export async function ensureDaemonBundle(opts: DaemonBundleOptions): Promise<string> {
  const name = opts.entry ?? "sim-daemon-main";
  const out = path.join(opts.outDir, name === "sim-daemon-main" ? "sim-daemon.mjs" : `${name}.mjs`);
  const inFlight = building.get(out);
  if (inFlight) return inFlight;
  const build = buildIfStale(opts).finally(() => building.delete(out));
  building.set(out, build);
  return build;
}

async function buildIfStale(opts: DaemonBundleOptions): Promise<string> {
  const name = opts.entry ?? "sim-daemon-main";
  const entry = path.join(opts.repoRoot, `lib/cluster/sim/daemon/${name}.ts`);
  const out = path.join(opts.outDir, name === "sim-daemon-main" ? "sim-daemon.mjs" : `${name}.mjs`);
  const srcNewest = newestMtime(path.join(opts.repoRoot, "lib/cluster/sim"));
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= srcNewest) return out;
  fs.mkdirSync(opts.outDir, { recursive: true });
  const esbuild = path.join(opts.repoRoot, "node_modules/.bin/esbuild");
  // Another process (a second server, a self-test) may build at the same time: its own temp file.
  const tmp = `${out}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp.mjs`;
  await new Promise<void>((resolve, reject) => {
    execFile(
      esbuild,
      [
        entry,
        "--bundle",
        "--platform=node",
        "--format=esm",
        "--target=node20",
        `--tsconfig=${path.join(opts.repoRoot, "tsconfig.json")}`,
        `--outfile=${tmp}`,
        `--banner:js=${BANNER}`,
        "--log-level=error",
      ],
      { cwd: opts.repoRoot, timeout: 60_000, signal: opts.signal },
      (err, _stdout, stderr) => (err ? reject(new Error(`bundling the sim daemon failed: ${stderr || err.message}`)) : resolve()),
    );
  });
  fs.renameSync(tmp, out);
  return out;
}
