import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { ConflictError, TimeoutError, UnavailableError } from "@/lib/errors";
import type { Config } from "@/lib/config";
import type { Cluster, ClusterClock, ClusterDriver, ClusterSpec, ExecOptions, ExecResult, ShellSpec } from "../types";
import { simNodeAccess } from "./node/sim-node-access";
import { ensureDaemonBundle } from "./daemon/daemon-bundle";
import { pidAlive, readSimHost, readSimState, simClusterDir, simRootDir, simStateSchema, type SimState } from "./daemon/sim-state";

/**
 * The sim driver (DESIGN.md "Cluster drivers"): each cluster is its own detached process
 * (sim-daemon-main.ts, run from an esbuild bundle) with a state dir <dataDir>/sim/<name>/
 * holding state.json, the kubeconfig, the control socket and the daemon's log.
 */

export interface SimDriverOptions {
  /** Repository root (for the daemon's sources and esbuild); defaults to the working directory. */
  repoRoot?: string;
  /** Bounded wait for a new cluster to serve. */
  startTimeoutMs?: number;
  /** Run the daemon through tsx instead of the bundle (slower start, more memory; for debugging). */
  useTsx?: boolean;
  /**
   * Key algorithm of the cluster PKI. RSA 2048 (kubeadm's default) costs about 2-3 s of start-up
   * on a busy 2-core machine; ECDSA P-256 (kubeadm's `encryptionAlgorithm: ECDSA-P256`) is fast.
   */
  keyAlgorithm?: "rsa-2048" | "ecdsa-p256";
  /**
   * "per-cluster" (default): each cluster is its own process, so one cluster's failure cannot
   * touch another. "shared-host": all clusters of this data dir live in one host process, which
   * saves the ~40 MB each Node process costs (see docs/sim-fidelity.md for the numbers).
   */
  processModel?: "per-cluster" | "shared-host";
}

const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

async function waitFor<T>(what: string, timeoutMs: number, signal: AbortSignal | undefined, fn: () => T | null): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== null) return v;
    if (signal?.aborted) throw new TimeoutError(`Gave up waiting for ${what}: aborted.`);
    if (Date.now() > deadline) throw new TimeoutError(`Gave up waiting for ${what} after ${Math.round(timeoutMs / 1000)} s.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function controlRequest(socketPath: string, method: string, p: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path: p, timeout: timeoutMs }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`control request ${p} timed out`)));
    req.on("error", reject);
    req.end();
  });
}

function tailOf(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, "utf8").trim().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

class SimClusterHandle implements Cluster {
  readonly driver = "sim" as const;
  readonly clock?: ClusterClock;
  constructor(
    readonly name: string,
    private readonly dir: string,
    private readonly state: SimState,
  ) {
    const scale = state.timeScale ?? 1;
    const start = state.clockStart ?? Date.now();
    // The same arithmetic as the daemon's SimClock, so object timestamps and this agree.
    if (scale !== 1) this.clock = { timeScale: scale, now: () => new Date(start + (Date.now() - start) * scale) };
  }

  async nodes() {
    return this.state.nodes;
  }

  async kubeconfig(): Promise<string> {
    return fs.readFileSync(this.state.kubeconfigPath, "utf8");
  }

  async exec(node: string, argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    return simNodeAccess(this.dir, this.state.nodes).exec(node, argv, opts);
  }

  shell(node: string): ShellSpec {
    return simNodeAccess(this.dir, this.state.nodes).shell(node);
  }

  async destroy(): Promise<void> {
    await stopDaemon(this.dir, this.state);
  }
}

async function stopDaemon(dir: string, state: SimState | null): Promise<void> {
  if (state?.hosted) {
    // Only this cluster goes; the host keeps serving the others.
    if (pidAlive(state.pid)) await controlRequest(state.controlSocket, "DELETE", `/clusters/${state.name}`, 15_000).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    return;
  }
  if (state && pidAlive(state.pid)) {
    try {
      await controlRequest(state.controlSocket, "POST", "/stop");
    } catch {
      try {
        process.kill(state.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    const deadline = Date.now() + 5000;
    while (pidAlive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (pidAlive(state.pid)) {
      try {
        process.kill(state.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The settings the sim driver reads: only where cluster state lives (the rest are options). */
export interface SimDriverSettings {
  config: Pick<Config, "dataDir">;
}

export function createSimDriver(deps: SimDriverSettings, opts: SimDriverOptions = {}): ClusterDriver {
  const { dataDir } = deps.config;
  const repoRoot = opts.repoRoot ?? process.cwd();
  const startTimeoutMs = opts.startTimeoutMs ?? 30_000;

  const attach = async (name: string): Promise<SimClusterHandle | null> => {
    if (!NAME_RE.test(name)) return null;
    const dir = simClusterDir(dataDir, name);
    const state = readSimState(dir);
    if (!state || !pidAlive(state.pid)) return null;
    return new SimClusterHandle(name, dir, state);
  };

  const createHosted = async (spec: ClusterSpec, attempt = 0): Promise<Cluster> => {
    const root = simRootDir(dataDir);
    fs.mkdirSync(root, { recursive: true, mode: 0o700 });
    let host = readSimHost(root);
    if (!host) {
      const bundle = await ensureDaemonBundle({ repoRoot, outDir: path.join(root, ".daemon"), signal: spec.signal, entry: "sim-host-main" });
      const logFile = path.join(root, "host.log");
      const log = fs.openSync(logFile, "a");
      const child = spawn(process.execPath, ["--max-semi-space-size=2", bundle, "--root", root], {
        cwd: repoRoot,
        detached: true,
        stdio: ["ignore", log, log],
        env: { ...process.env, NODE_ENV: "production" },
      });
      fs.closeSync(log);
      child.unref();
      host = await waitFor("the shared sim host to start", startTimeoutMs, spec.signal, () => readSimHost(root));
    }
    const q = new URLSearchParams({ name: spec.name, workers: String(spec.workers), keyAlgorithm: opts.keyAlgorithm ?? "rsa-2048", timeScale: String(spec.timeScale ?? 1) });
    let r: { status: number; body: string };
    try {
      r = await controlRequest(host.socket, "POST", `/clusters?${q}`, startTimeoutMs);
    } catch (e) {
      // The host was exiting (its last cluster had just gone): start a new one, once.
      if (attempt > 0) throw new UnavailableError(`The shared sim host did not answer: ${(e as Error).message}`);
      await waitFor("the old shared sim host to exit", 5000, spec.signal, () => (pidAlive(host!.pid) ? null : true));
      return createHosted(spec, attempt + 1);
    }
    if (r.status !== 201) throw new UnavailableError(`The shared sim host could not start cluster "${spec.name}": ${r.body}`);
    const state = simStateSchema.parse(JSON.parse(r.body));
    return new SimClusterHandle(spec.name, simClusterDir(dataDir, spec.name), state);
  };

  return {
    name: "sim",
    // DESIGN.md: the UI labels the emulator honestly.
    label: "Simulated cluster",
    async available() {
      return { ok: true, missing: [] };
    },
    attach,
    async list() {
      const root = simRootDir(dataDir);
      if (!fs.existsSync(root)) return [];
      const names: string[] = [];
      for (const e of fs.readdirSync(root, { withFileTypes: true })) {
        if (!e.isDirectory() || e.name.startsWith(".")) continue;
        const st = readSimState(path.join(root, e.name));
        if (st && pidAlive(st.pid)) names.push(e.name);
      }
      return names.sort();
    },
    async create(spec: ClusterSpec): Promise<Cluster> {
      if (!NAME_RE.test(spec.name)) throw new ConflictError(`"${spec.name}" is not a valid cluster name.`);
      const dir = simClusterDir(dataDir, spec.name);
      const existing = readSimState(dir);
      if (existing && pidAlive(existing.pid)) {
        throw new ConflictError(`A sim cluster named "${spec.name}" is already running.`, {
          hint: `Use it, or delete it first: npm run cluster -- down --driver sim --name ${spec.name}`,
        });
      }
      fs.rmSync(dir, { recursive: true, force: true });
      if (opts.processModel === "shared-host") return createHosted(spec);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const logFile = path.join(dir, "daemon.log");
      const log = fs.openSync(logFile, "a");
      const daemonArgs = ["--dir", dir, "--name", spec.name, "--workers", String(spec.workers), "--key-algorithm", opts.keyAlgorithm ?? "rsa-2048", "--time-scale", String(spec.timeScale ?? 1)];
      let argv: string[];
      if (opts.useTsx) argv = ["--import", "tsx", path.join(repoRoot, "lib/cluster/sim/daemon/sim-daemon-main.ts"), ...daemonArgs];
      else {
        const bundle = await ensureDaemonBundle({ repoRoot, outDir: path.join(simRootDir(dataDir), ".daemon"), signal: spec.signal });
        // A small heap: a sim cluster holds a few thousand objects at most.
        argv = ["--max-semi-space-size=1", "--max-old-space-size=128", bundle, ...daemonArgs];
      }
      const child = spawn(process.execPath, argv, { cwd: repoRoot, detached: true, stdio: ["ignore", log, log], env: { ...process.env, NODE_ENV: "production" } });
      fs.closeSync(log);
      let exited: number | null = null;
      child.on("exit", (code) => (exited = code ?? 1));
      child.unref();
      try {
        const state = await waitFor(`sim cluster "${spec.name}" to serve its API`, startTimeoutMs, spec.signal, () => {
          if (exited !== null) {
            throw new UnavailableError(`The sim cluster "${spec.name}" failed to start (exit ${exited}).`, { hint: tailOf(logFile) || undefined });
          }
          return readSimState(dir);
        });
        return new SimClusterHandle(spec.name, dir, state);
      } catch (e) {
        await stopDaemon(dir, child.pid ? { ...placeholderState(spec, dir), pid: child.pid } : null);
        throw e;
      }
    },
  };
}

function placeholderState(spec: ClusterSpec, dir: string): SimState {
  return {
    name: spec.name,
    pid: 1,
    port: 1,
    workers: spec.workers,
    nodes: [],
    kubeconfigPath: path.join(dir, "kubeconfig"),
    controlSocket: path.join(dir, "control.sock"),
    startedAt: new Date().toISOString(),
  };
}
