import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppsV1Api, BatchV1Api, CoordinationV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import type { Cluster } from "@/lib/cluster/types";
import type { K8sApis, ScenarioContext } from "./context";
import { nodeHandle } from "./node-handle";
import { createProbes } from "./probes";
import { runKubectl } from "./run-kubectl";
import { waitFor } from "./wait-for";

export interface ScenarioContextHandle extends ScenarioContext {
  /** The admin kubeconfig this context was built on (the "original credentials"). */
  kubeconfig: string;
  /** The temp file (0600) kubectl runs with, removed by dispose(). */
  kubeconfigFile: string;
  /** Removes the temp kubeconfig. Safe to call twice. */
  dispose(): void;
}

export interface CreateContextOptions {
  signal?: AbortSignal;
  log?: (message: string) => void;
  /**
   * The admin kubeconfig to use. Pass the one captured when the lab was provisioned, so that a
   * learner's later edits to the cluster's own admin.conf (for example insecure-skip-tls-verify)
   * never change what the checks trust. Defaults to `cluster.kubeconfig()` read now.
   */
  kubeconfig?: string;
}

export function k8sApis(kubeconfig: string): K8sApis {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  return {
    kubeConfig: kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    coordination: kc.makeApiClient(CoordinationV1Api),
  };
}

/**
 * Builds the scenario context for a cluster: the one door from a pack to it.
 *
 * @example
 * const ctx = await createScenarioContext(cluster, { signal });
 * try { await pack.setup(ctx); } finally { ctx.dispose(); }
 */
const REAL_TIME = { timeScale: 1, now: () => new Date() };

export async function createScenarioContext(
  cluster: Cluster,
  opts: CreateContextOptions = {},
): Promise<ScenarioContextHandle> {
  const signal = opts.signal ?? new AbortController().signal;
  const kubeconfig = opts.kubeconfig ?? (await cluster.kubeconfig());
  const nodes = await cluster.nodes();
  const controlPlane = nodes.find((n) => n.role === "control-plane")?.name;
  if (!controlPlane) throw new Error(`Cluster ${cluster.name} has no control-plane node.`);
  const workers = nodes.filter((n) => n.role === "worker").map((n) => n.name);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-ctx-"));
  const kubeconfigFile = path.join(dir, "kubeconfig");
  fs.writeFileSync(kubeconfigFile, kubeconfig, { mode: 0o600 });
  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    process.off("exit", dispose);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // A crashed self-test must not leave admin credentials in /tmp.
  process.once("exit", dispose);

  const k8s = k8sApis(kubeconfig);
  const kubectl: ScenarioContext["kubectl"] = (argv, o = {}) =>
    runKubectl(kubeconfigFile, argv, { ...o, signal: o.signal ?? signal });
  const known = new Set(nodes.map((n) => n.name));

  return {
    kubeconfig,
    kubeconfigFile,
    dispose,
    k8s,
    kubectl,
    controlPlane,
    workers,
    signal,
    clock: cluster.clock ?? REAL_TIME,
    log: opts.log ?? (() => undefined),
    node(name) {
      if (!known.has(name)) throw new Error(`Cluster ${cluster.name} has no node named "${name}".`);
      return nodeHandle(name, (argv, o = {}) => cluster.exec(name, argv, { ...o, signal: o.signal ?? signal }));
    },
    async apply(yaml) {
      const r = await kubectl(["apply", "-f", "-"], { stdin: yaml });
      if (r.code !== 0) throw new Error(`kubectl apply failed: ${r.stderr.trim() || r.stdout.trim()}`);
    },
    waitFor(fn, o) {
      return waitFor(fn, o, signal);
    },
    probe: createProbes({ k8s, signal }),
  };
}
