import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "@/lib/config";
import type { Cluster } from "@/lib/cluster/types";
import { createKindDriver, newKindRuntime } from "@/lib/cluster/kind/kind-driver";
import { startSimCluster, type SimCluster } from "@/lib/cluster/sim/sim-cluster";
import { findOnPath, toolsSkipReason } from "./required-tools";

/**
 * One cluster for a kubectl battery: the same test file runs unchanged against the sim (the
 * default, in-process, what CI proves) or against a real kind cluster with
 * `BREAKFIX_BATTERY_DRIVER=kind` (where Docker and kind exist). A suite asks `batterySkipReason`
 * first, then `startBatteryCluster` once in `beforeAll`.
 *
 * @example
 * const reason = await batterySkipReason("rbac-kubectl.test.ts");
 * describe.skipIf(reason !== null)(`RBAC with kubectl${reason ? ` (skipped: ${reason})` : ""}`, () => {
 *   let c: BatteryCluster;
 *   beforeAll(async () => { c = await startBatteryCluster({ suite: "rbac" }); }, 120_000);
 *   afterAll(() => c?.stop());
 *   it("…", async () => expect((await c.kubectl(["get", "ns"])).code).toBe(0));
 * });
 */

export type BatteryDriver = "sim" | "kind";

export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** Written to kubectl's stdin (e.g. `apply -f -`). */
  input?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Another kubeconfig (e.g. one for a ServiceAccount token); defaults to the admin's. */
  kubeconfig?: string;
}

export interface BatteryCluster {
  driver: BatteryDriver;
  /** The admin kubeconfig's path. */
  kubeconfig: string;
  /** The admin kubeconfig's text. */
  kubeconfigText: string;
  /** A private directory (kubectl's HOME, for its discovery cache, and scratch files). */
  dir: string;
  /** Names of the nodes, control plane first. */
  nodes: string[];
  /** The sim cluster itself, for tests that look inside (undefined on kind: tests must not need it to pass). */
  sim?: SimCluster;
  /** Runs the real kubectl against the cluster. Never throws on a non-zero exit. */
  kubectl(args: string[], opts?: KubectlOptions): Promise<KubectlRun>;
  stop(): Promise<void>;
}

export function batteryDriver(env: Record<string, string | undefined> = process.env): BatteryDriver {
  const d = env.BREAKFIX_BATTERY_DRIVER ?? "sim";
  if (d !== "sim" && d !== "kind") throw new Error(`BREAKFIX_BATTERY_DRIVER must be sim or kind, not ${JSON.stringify(d)}`);
  return d;
}

const REPO = path.resolve(import.meta.dirname, "../..");

function kindDriver(dataDir: string) {
  const config = parseConfig({ ...process.env, BREAKFIX_DATA_DIR: dataDir, BREAKFIX_KIND_POOL_SIZE: "0" }, REPO);
  return createKindDriver({ config }, { runtime: newKindRuntime() });
}

/** Why this battery cannot run here (kubectl missing, or kind asked for and not usable), or null. */
export async function batterySkipReason(suite: string): Promise<string | null> {
  const tools = toolsSkipReason({ suite, tools: ["kubectl"] });
  if (tools) return tools;
  if (batteryDriver() === "kind") {
    const a = await kindDriver(os.tmpdir()).available();
    if (!a.ok) return `BREAKFIX_BATTERY_DRIVER=kind but kind is not usable here: missing ${a.missing.join(", ")}`;
  }
  return null;
}

function runKubectl(kubeconfig: string, home: string, args: string[], opts: KubectlOptions = {}): Promise<KubectlRun> {
  const bin = findOnPath("kubectl") ?? "kubectl";
  return new Promise((resolve) => {
    const child = execFile(
      bin,
      args,
      {
        env: { ...process.env, HOME: home, KUBECONFIG: opts.kubeconfig ?? kubeconfig, ...opts.env },
        timeout: opts.timeoutMs ?? 30_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? Number((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

export interface BatteryOptions {
  /** A short name for the cluster (letters, digits, dashes). */
  suite: string;
  workers?: number;
  /** Sim only: give the cluster its node side (node filesystems, kubelets writing pod logs, shells). */
  nodeSide?: boolean;
}

export async function startBatteryCluster(opts: BatteryOptions): Promise<BatteryCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `breakfix-battery-${opts.suite}-`));
  const kubeconfig = path.join(dir, "kubeconfig");
  const name = `${opts.suite}-${randomBytes(2).toString("hex")}`.toLowerCase();
  const workers = opts.workers ?? 0;
  let stop: () => Promise<void>;
  let text: string;
  let nodes: string[];
  let sim: SimCluster | undefined;
  if (batteryDriver() === "kind") {
    const driver = kindDriver(path.join(dir, "data"));
    const cluster: Cluster = await driver.create({ name, workers });
    text = await cluster.kubeconfig();
    nodes = (await cluster.nodes()).map((n) => n.name);
    stop = () => cluster.destroy();
  } else {
    sim = await startSimCluster({
      name,
      workers,
      keyAlgorithm: "ecdsa-p256",
      clusterDir: opts.nodeSide ? path.join(dir, "nodes") : undefined,
    });
    text = sim.kubeconfig();
    nodes = sim.nodes.map((n) => n.name);
    stop = () => sim!.stop();
  }
  fs.writeFileSync(kubeconfig, text, { mode: 0o600 });
  return {
    driver: batteryDriver(),
    kubeconfig,
    kubeconfigText: text,
    dir,
    nodes,
    sim,
    kubectl: (args, o) => runKubectl(kubeconfig, dir, args, o),
    async stop() {
      try {
        await stop();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
      }
    },
  };
}
