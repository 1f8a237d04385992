import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ClusterDriver, ClusterSpec, MaintenanceHooks } from "@/lib/cluster/types";
import type { Config } from "@/lib/config";
import { ConflictError, UnavailableError } from "@/lib/errors";
import { logger as rootLogger, type Logger } from "@/lib/logger";
import { processSingleton } from "@/lib/process-singleton";
import { checkKindAvailable, readProcSysctl, type KindAvailability, type ReadSysctl } from "./check-kind-available";
import { ClusterAliases } from "./cluster-aliases";
import { collectGarbage, type GarbageCollectionReport } from "./collect-garbage";
import { createKindCluster, type CreateKindClusterDeps } from "./create-kind-cluster";
import { kindClusterHandle, type KindCluster } from "./kind-cluster";
import { kindClusterName } from "./kind-config";
import { CLUSTER_PREFIX, KIND_PINS, POOL_PREFIX } from "./kind-pins";
import { kindErrorLine, parseNameLines, parseNodeReadiness } from "./parse-tool-output";
import { runCommand, type RunCommand } from "./run-command";
import { describePool, readPoolState, WarmPool } from "./warm-pool";

/** Per-process state: both server.ts and Next's route handlers must see the same pool. */
export interface KindRuntime {
  pool: WarmPool | null;
  /** Clusters being created by create() right now. */
  creating: Set<string>;
  /** Clusters handed out recently → until when GC must leave them alone (the lab layer records them meanwhile). */
  graceUntil: Map<string, number>;
  maintenance: { stop: () => Promise<void> } | null;
  lastGc: { at: string; report: GarbageCollectionReport } | null;
}

export function newKindRuntime(): KindRuntime {
  return { pool: null, creating: new Set(), graceUntil: new Map(), maintenance: null, lastGc: null };
}

/** The settings the kind driver reads: where its state lives, and its own BREAKFIX_KIND_* values. */
export interface KindDriverSettings {
  config: Pick<Config, "dataDir" | "kind">;
}

export interface KindDriverOptions {
  run?: RunCommand;
  readSysctl?: ReadSysctl;
  runtime?: KindRuntime;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
  newId?: () => string;
  /** Passed to cluster creation (tests shorten the waits). */
  createTuning?: Pick<CreateKindClusterDeps, "timeouts" | "pollMs">;
  poolRetryDelayMs?: number;
  /** How long a handed-out cluster is safe from GC before the lab layer must claim it (default 15 min). */
  graceMs?: number;
}

export interface KindDriver extends ClusterDriver {
  name: "kind";
  available(): Promise<KindAvailability>;
  create(spec: ClusterSpec): Promise<KindCluster>;
  attach(name: string): Promise<KindCluster | null>;
  status(): Promise<string[]>;
  maintain(hooks: MaintenanceHooks): Promise<void>;
  /** One garbage-collection pass (maintain() runs it at start-up and every BREAKFIX_KIND_GC_INTERVAL_SECONDS). */
  collectGarbage(isClusterInUse: MaintenanceHooks["isClusterInUse"]): Promise<GarbageCollectionReport>;
  runtime: KindRuntime;
}

/** kind: real clusters in Docker (DESIGN.md, "Cluster drivers"). */
export function createKindDriver(deps: KindDriverSettings, opts: KindDriverOptions = {}): KindDriver {
  const { config } = deps;
  const env = opts.env ?? process.env;
  const baseRun = opts.run ?? runCommand;
  // Every docker/kind/kubectl call gets the driver's environment (DOCKER_HOST, PATH) unless it brings its own.
  const run: RunCommand = (file, args, o) => baseRun(file, args, { ...o, env: o.env ?? env });
  const log = (opts.log ?? rootLogger).child({ driver: "kind" });
  const readSysctl = opts.readSysctl ?? readProcSysctl;
  const runtime = opts.runtime ?? processSingleton(`kind-runtime:${config.dataDir}`, newKindRuntime);
  const kindDir = path.join(config.dataDir, "kind");
  const kubeconfigDir = path.join(kindDir, "kubeconfigs");
  const poolFile = path.join(kindDir, "pool.json");
  const graceMs = opts.graceMs ?? 15 * 60_000;
  const newId = opts.newId ?? (() => randomBytes(3).toString("hex"));

  // One empty file per cluster created from this data dir, written before `kind create` so that
  // even a crash mid-creation leaves a trace. GC deletes only these: clusters of another
  // breakfix checkout or data dir on the same Docker (a running self-test, the e2e suite) are not ours.
  const ownedDir = path.join(kindDir, "owned");
  const markOwned = (name: string) => {
    fs.mkdirSync(ownedDir, { recursive: true });
    fs.writeFileSync(path.join(ownedDir, name), "");
  };
  const isOwned = (name: string) => fs.existsSync(path.join(ownedDir, name));
  const aliases = new ClusterAliases(path.join(kindDir, "aliases.json"));
  const forget = (name: string) => {
    runtime.graceUntil.delete(name);
    fs.rmSync(path.join(ownedDir, name), { force: true });
    aliases.forget(name);
  };
  /**
   * The lab layer asks "is X in use?" by the name it asked create() for: the short name
   * ("bf-1234" for breakfix-bf-1234), or an alias when it got a warm cluster.
   */
  const inUseUnderAnyName = (isClusterInUse: MaintenanceHooks["isClusterInUse"]) => async (name: string) => {
    const names = new Set([name, name.slice(CLUSTER_PREFIX.length), ...aliases.aliasesOf(name)]);
    for (const n of names) if (await isClusterInUse(n)) return true;
    return false;
  };
  const handleDeps = { run, log, kubeconfigDir, env, onDestroyed: forget };
  const handle = (name: string) => kindClusterHandle(name, handleDeps);

  function imageFor(spec: ClusterSpec): string {
    if (config.kind.nodeImage) return config.kind.nodeImage;
    if (spec.k8sVersion && spec.k8sVersion.replace(/^v/, "") !== KIND_PINS.kubernetesVersion) {
      log.warn({ k8sVersion: spec.k8sVersion }, "a Kubernetes version other than the pinned one uses an unpinned kindest/node tag");
      return `kindest/node:v${spec.k8sVersion.replace(/^v/, "")}`;
    }
    return KIND_PINS.nodeImage;
  }

  async function list(): Promise<string[]> {
    const r = await run("kind", ["get", "clusters"], { timeoutMs: 30_000, env });
    if (r.notFound) throw new UnavailableError("kind is not on PATH.", { hint: "Install kind, or use BREAKFIX_DRIVER=sim." });
    if (r.code !== 0) throw new UnavailableError(`kind could not list clusters: ${kindErrorLine(r.stderr) ?? r.stderr.trim()}`);
    return parseNameLines(r.stdout).filter((n) => n.startsWith(CLUSTER_PREFIX));
  }

  async function isHealthy(name: string): Promise<boolean> {
    const r = await handle(name).exec(`${name}-control-plane`, ["kubectl", "get", "nodes", "-o", "json"], { timeoutMs: 20_000 });
    if (r.code !== 0) return false;
    const nodes = parseNodeReadiness(r.stdout);
    return nodes.length > 0 && nodes.every((n) => n.ready);
  }

  async function createFresh(name: string, workers: number, image: string, signal?: AbortSignal): Promise<KindCluster> {
    runtime.creating.add(name);
    const wasOwned = isOwned(name);
    markOwned(name);
    try {
      const { cluster } = await createKindCluster({ name, workers, image, signal }, { ...handleDeps, readSysctl, ...opts.createTuning });
      return cluster;
    } catch (err) {
      // A name clash means the existing cluster is someone else's unless we had made it.
      if (err instanceof ConflictError && !wasOwned) fs.rmSync(path.join(ownedDir, name), { force: true });
      throw err;
    } finally {
      runtime.creating.delete(name);
    }
  }

  async function destroyByName(name: string): Promise<void> {
    await handle(name).destroy();
  }

  async function gc(isClusterInUse: MaintenanceHooks["isClusterInUse"]): Promise<GarbageCollectionReport> {
    const now = Date.now();
    const report = await collectGarbage({
      list: async () => {
        const all = await list();
        // Forget markers of clusters that no longer exist (deleted by hand, or a failed creation).
        const present = new Set(all);
        for (const n of fs.existsSync(ownedDir) ? fs.readdirSync(ownedDir) : []) {
          if (!present.has(n) && !runtime.creating.has(n)) fs.rmSync(path.join(ownedDir, n), { force: true });
        }
        return all.filter(isOwned);
      },
      isProtected: (n) => runtime.pool?.owns(n) === true || runtime.creating.has(n) || (runtime.graceUntil.get(n) ?? 0) > now,
      isClusterInUse: inUseUnderAnyName(isClusterInUse),
      destroy: destroyByName,
      log,
    });
    runtime.lastGc = { at: new Date().toISOString(), report };
    return report;
  }

  const driver: KindDriver = {
    name: "kind",
    label: "kind cluster",
    runtime,

    available: () => checkKindAvailable(run, readSysctl),

    async create(spec) {
      const pool = runtime.pool;
      if (pool && spec.workers === config.kind.poolWorkers && !spec.k8sVersion && !spec.signal?.aborted) {
        const taken = await pool.take();
        if (taken) {
          runtime.graceUntil.set(taken, Date.now() + graceMs);
          // The lab keeps the name it asked for; attach() and GC find the warm cluster under it.
          aliases.set(spec.name, taken);
          log.info({ cluster: taken, requested: spec.name }, `lab "${spec.name}" gets warm cluster ${taken}`);
          return handle(taken);
        }
      }
      const name = kindClusterName(spec.name);
      runtime.graceUntil.set(name, Date.now() + graceMs);
      try {
        return await createFresh(name, spec.workers, imageFor(spec), spec.signal);
      } catch (err) {
        runtime.graceUntil.delete(name);
        throw err;
      }
    },

    async attach(name) {
      const full = aliases.resolve(name) ?? kindClusterName(name);
      return (await list()).includes(full) ? handle(full) : null;
    },

    list,

    async status() {
      const lines: string[] = [];
      const avail = await checkKindAvailable(run, readSysctl);
      const v = avail.versions;
      lines.push(
        `versions: docker client ${v.dockerClient ?? "-"}, server ${v.dockerServer ?? "-"}; kind ${v.kind ? `v${v.kind}` : "-"}; kubectl ${v.kubectl ?? "-"}`,
        `node image: ${config.kind.nodeImage ?? KIND_PINS.nodeImage}${config.kind.nodeImage ? " (BREAKFIX_KIND_NODE_IMAGE)" : " (pinned)"}`,
      );
      let existing: string[] = [];
      if (avail.ok) existing = await list().catch(() => []);
      const state = runtime.pool ? runtime.pool.snapshot() : readPoolState(poolFile);
      lines.push(...describePool(config.kind.poolSize, state, existing, pidAlive));
      lines.push(`gc: every ${Math.round(config.kind.gcIntervalMs / 1000)} s while the server runs` + (runtime.lastGc ? `; last pass ${runtime.lastGc.at}, deleted ${runtime.lastGc.report.deleted.length}` : ""));
      return lines;
    },

    async maintain(hooks) {
      if (runtime.maintenance) return;
      const avail = await checkKindAvailable(run, readSysctl);
      if (!avail.ok) {
        log.warn({ missing: avail.missing }, "kind housekeeping not started: kind is not usable here");
        return;
      }
      for (const w of avail.warnings) log.warn(w);
      let pool: WarmPool | null = null;
      if (config.kind.poolSize > 0) {
        pool = new WarmPool({
          size: config.kind.poolSize,
          stateFile: poolFile,
          newName: () => `${POOL_PREFIX}${newId()}`,
          create: async (name, signal) => {
            await createFresh(name, config.kind.poolWorkers, imageFor({ name, workers: config.kind.poolWorkers }), signal);
          },
          isHealthy,
          destroy: destroyByName,
          existing: list,
          log,
          retryDelayMs: opts.poolRetryDelayMs,
        });
      }
      let timer: NodeJS.Timeout | null = null;
      let stopping: Promise<void> | null = null;
      const stop = () =>
        (stopping ??= (async () => {
          if (timer) clearInterval(timer);
          runtime.maintenance = null;
          const p = runtime.pool;
          runtime.pool = null;
          await p?.shutdown();
        })());
      runtime.maintenance = { stop };
      hooks.signal?.addEventListener("abort", () => void stop(), { once: true });
      // Adopt the pool before the first GC so that its idle clusters are not taken for orphans.
      if (pool) {
        runtime.pool = pool;
        await pool.start();
      }
      await gc(hooks.isClusterInUse).catch((err: unknown) => log.error({ err }, "gc: start-up pass failed"));
      if (hooks.signal?.aborted) return;
      timer = setInterval(() => {
        void gc(hooks.isClusterInUse)
          .catch((err: unknown) => log.error({ err }, "gc: pass failed"))
          .then(() => runtime.pool?.fill());
      }, config.kind.gcIntervalMs);
      timer.unref();
    },

    collectGarbage: gc,
  };
  return driver;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
