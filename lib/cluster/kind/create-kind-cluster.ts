import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConflictError, TimeoutError, UnavailableError } from "@/lib/errors";
import { buildKindConfig, expectedNodeNames } from "./kind-config";
import { kindClusterHandle, type KindCluster, type KindClusterDeps } from "./kind-cluster";
import { inotifyAdvice, type ReadSysctl } from "./check-kind-available";
import { kindErrorLine, parseNodeReadiness } from "./parse-tool-output";

export interface CreateKindClusterInput {
  /** Full kind name (already prefixed breakfix-). */
  name: string;
  workers: number;
  image: string;
  signal?: AbortSignal;
}

export interface CreateKindClusterDeps extends KindClusterDeps {
  readSysctl: ReadSysctl;
  /** Bounds; tests shorten them. */
  timeouts?: Partial<typeof DEFAULT_TIMEOUTS>;
  pollMs?: number;
}

const DEFAULT_TIMEOUTS = {
  /** kind itself, with its own `--wait` for the control plane inside. */
  createMs: 10 * 60_000,
  /** Every node Ready after kind returns (kind waits for the control plane only). */
  readyMs: 4 * 60_000,
  /** apt-get on each node; offline it fails fast on DNS, slow mirrors get this long. */
  toolsMs: 4 * 60_000,
};

/** What a learner expects on a node that the kindest/node image lacks (KIND-NOTES: no vi, nano or less). */
export const NODE_TOOL_PACKAGES = ["vim-tiny", "nano", "less"] as const;
const TOOLS_PRESENT = "command -v vi >/dev/null && command -v nano >/dev/null && command -v less >/dev/null";

export interface CreatedKindCluster {
  cluster: KindCluster;
  /** Things that did not work but leave the cluster usable (no editor installed, …). */
  warnings: string[];
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason ?? new Error("aborted"));
    }, { once: true });
  });

/**
 * Creates a kind cluster (1 control plane + N workers, pinned image), waits until every node is
 * Ready, makes kubectl work on every node and installs an editor and less where the network
 * allows. Any failure before the cluster is usable deletes what kind left behind.
 */
export async function createKindCluster(input: CreateKindClusterInput, deps: CreateKindClusterDeps): Promise<CreatedKindCluster> {
  const t = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
  const env = deps.env ?? process.env;
  const { name, workers, image, signal } = input;
  const log = deps.log.child({ cluster: name });
  const cluster = kindClusterHandle(name, deps);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-kind-"));
  const configFile = path.join(dir, "kind-config.yaml");
  fs.writeFileSync(configFile, buildKindConfig(workers));
  fs.mkdirSync(deps.kubeconfigDir, { recursive: true, mode: 0o700 });

  const cleanup = async (why: string) => {
    log.warn({ why }, `creating ${name} failed; deleting what kind left behind`);
    try {
      await deps.run("kind", ["delete", "cluster", "--name", name], { timeoutMs: 180_000, env });
    } catch (err) {
      log.error({ err }, `could not delete the half-created cluster ${name}; delete it with: kind delete cluster --name ${name}`);
    }
    fs.rmSync(cluster.kubeconfigFile, { force: true });
  };

  try {
    log.info({ workers, image }, `creating kind cluster ${name} (1 control plane, ${workers} worker(s))`);
    let created;
    try {
      created = await deps.run(
        "kind",
        ["create", "cluster", "--name", name, "--config", configFile, "--image", image, "--wait", "5m", "--kubeconfig", cluster.kubeconfigFile],
        { timeoutMs: t.createMs, signal, env },
      );
    } catch (err) {
      await cleanup(err instanceof Error ? err.message : String(err));
      throw err;
    }
    if (created.notFound) throw new UnavailableError("kind is not on PATH.", { hint: "Install kind, or use BREAKFIX_DRIVER=sim." });
    if (created.code !== 0) {
      const line = kindErrorLine(created.stderr) ?? (created.stderr.trim().split("\n").at(-1) || `exit code ${created.code}`);
      if (/already exist for a cluster with the name/.test(line)) {
        // Not ours to delete: the cluster with that name is someone's lab.
        throw new ConflictError(`A kind cluster named ${name} already exists.`, { hint: `Delete it first: kind delete cluster --name ${name}` });
      }
      await cleanup(line);
      const inotify = /too many open files/i.test(created.stderr) ? inotifyAdvice(deps.readSysctl) : null;
      throw new UnavailableError(`kind could not create cluster ${name}: ${line}`, {
        hint: inotify ?? (/Cannot connect to the Docker daemon/.test(created.stderr) ? "Start Docker and try again." : "Run `kind create cluster` by hand to see the full output."),
      });
    }

    try {
      await waitForNodesReady(cluster, expectedNodeNames(name, workers), t.readyMs, deps.pollMs ?? 2000, signal);
    } catch (err) {
      await cleanup(err instanceof Error ? err.message : String(err));
      throw err;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const warnings: string[] = [];
  const nodeNames = expectedNodeNames(name, workers);
  const kc = await shareKubeconfig(cluster, nodeNames, signal);
  if (kc) warnings.push(kc);
  const tools = await installNodeTools(cluster, nodeNames, t.toolsMs, signal);
  if (tools) warnings.push(tools);
  for (const w of warnings) log.warn(w);
  log.info(`kind cluster ${name} is ready`);
  return { cluster, warnings };
}

/** Polls `kubectl get nodes -o json` on the control plane (its KUBECONFIG is set by kind) until every node is Ready. */
export async function waitForNodesReady(cluster: KindCluster, expected: string[], timeoutMs: number, pollMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const cp = expected[0]!;
  let notReady = expected;
  let lastProblem = "";
  for (;;) {
    const r = await cluster.exec(cp, ["kubectl", "get", "nodes", "-o", "json"], { timeoutMs: 30_000, signal });
    if (r.code === 0) {
      try {
        const ready = new Set(parseNodeReadiness(r.stdout).filter((n) => n.ready).map((n) => n.name));
        notReady = expected.filter((n) => !ready.has(n));
        if (!notReady.length) return;
      } catch (err) {
        lastProblem = err instanceof Error ? err.message : String(err);
      }
    } else lastProblem = r.stderr.trim();
    if (Date.now() + pollMs > deadline) {
      throw new TimeoutError(
        `Waited ${Math.round(timeoutMs / 1000)} s for the nodes of ${cluster.name} to be Ready; not Ready: ${notReady.join(", ")}${lastProblem ? ` (${lastProblem})` : ""}.`,
        { hint: "A slow or overloaded host needs more time; `docker stats` shows the load (plan about 2 GB of RAM per node)." },
      );
    }
    await sleep(pollMs, signal);
  }
}

/**
 * kind sets KUBECONFIG=/etc/kubernetes/admin.conf on control planes only. Copy admin.conf to
 * /root/.kube/config on every node (kubectl's default path), so kubectl works in any node shell
 * and in `docker exec` alike. Its server is https://<cluster>-control-plane:6443, reachable on
 * the kind network. Returns a warning, or null.
 */
async function shareKubeconfig(cluster: KindCluster, nodes: string[], signal?: AbortSignal): Promise<string | null> {
  const admin = await cluster.exec(nodes[0]!, ["cat", "/etc/kubernetes/admin.conf"], { timeoutMs: 30_000, signal });
  if (admin.code !== 0) return `Could not read admin.conf on ${nodes[0]}: kubectl works only on the control plane (${admin.stderr.trim()}).`;
  const failed: string[] = [];
  for (const node of nodes) {
    const r = await cluster.exec(
      node,
      ["sh", "-c", 'umask 077 && mkdir -p /root/.kube && cat > /root/.kube/config.tmp && mv -f /root/.kube/config.tmp /root/.kube/config'],
      { stdin: admin.stdout, timeoutMs: 30_000, signal },
    );
    if (r.code !== 0) failed.push(node);
  }
  return failed.length ? `Could not install a kubeconfig on ${failed.join(", ")}; kubectl there needs --kubeconfig.` : null;
}

/**
 * apt-get install vim-tiny, nano and less on every node. The node image has apt but no editor.
 * Without network this fails; the cluster is still fine, and the warning says so.
 */
async function installNodeTools(cluster: KindCluster, nodes: string[], timeoutMs: number, signal?: AbortSignal): Promise<string | null> {
  const results = await Promise.all(
    nodes.map(async (node) => {
      const aptEnv = ["env", "DEBIAN_FRONTEND=noninteractive"];
      try {
        // A node image built with the tools (README: offline classrooms) needs no network here.
        const present = await cluster.exec(node, ["sh", "-c", TOOLS_PRESENT], { timeoutMs: 10_000, signal });
        if (present.code === 0) return null;
        const update = await cluster.exec(node, [...aptEnv, "apt-get", "update", "-q"], { timeoutMs, signal });
        if (update.code !== 0) return `${node}: apt-get update failed (${lastLine(update.stderr)})`;
        const install = await cluster.exec(node, [...aptEnv, "apt-get", "install", "-y", "-q", "--no-install-recommends", ...NODE_TOOL_PACKAGES], { timeoutMs, signal });
        if (install.code !== 0) return `${node}: apt-get install failed (${lastLine(install.stderr)})`;
        // vim-tiny provides `vi` and `vim.tiny`; learners also type `vim`.
        await cluster.exec(node, ["sh", "-c", "command -v vim >/dev/null || ln -sf /usr/bin/vim.tiny /usr/local/bin/vim"], { timeoutMs: 10_000, signal });
        return null;
      } catch (err) {
        if (signal?.aborted) throw err;
        return `${node}: ${err instanceof Error ? err.message : String(err)}`;
      }
    }),
  );
  const failed = results.filter((r): r is string => r !== null);
  if (!failed.length) return null;
  return (
    `Could not install ${NODE_TOOL_PACKAGES.join(", ")} on ${failed.length} node(s), probably no network: ${failed.join("; ")}. ` +
    "Learners on those nodes have no text editor; edit files with `kubectl edit`, or pre-build a node image with the tools (see README, kind mode)."
  );
}

function lastLine(s: string): string {
  return s.trim().split("\n").at(-1) ?? "";
}
