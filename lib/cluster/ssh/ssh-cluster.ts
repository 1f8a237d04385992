import fs from "node:fs";
import { InputError, NotFoundError, UnavailableError } from "@/lib/errors";
import type { ExecOptions, ExecResult, NodeRef, ShellSpec } from "@/lib/cluster/types";
import { clearClusterBaseline, readClusterBaseline, saveClusterBaseline } from "./cluster-baseline-file";
import { acquireClusterLease, readClusterLease, releaseClusterLease } from "./cluster-lease";
import { knownHostsFor } from "./known-hosts";
import { markNeedsInstructor, readNeedsInstructor } from "./needs-instructor";
import type { PersistentCluster } from "./persistent-cluster";
import { rewriteKubeconfigServer } from "./rewrite-kubeconfig-server";
import { runSsh, sshEnv } from "./run-ssh";
import type { SshClusterConfig, SshNodeConfig } from "./ssh-clusters-file";
import { sshShellArgs, type SshTarget } from "./ssh-command";

/** Default bound for one node command; scenario steps pass their own timeoutMs. */
export const DEFAULT_EXEC_TIMEOUT_MS = 120_000;

export interface NodeCheck {
  node: string;
  ok: boolean;
  /** What is wrong and what to do, when not ok. */
  detail?: string;
}

export interface SshCluster extends PersistentCluster {
  driver: "ssh";
  config: SshClusterConfig;
  /** Each node answers over ssh, and `sudo -n` works where it is used. */
  checkNodes(opts?: { signal?: AbortSignal }): Promise<NodeCheck[]>;
}

export interface SshClusterDeps {
  config: SshClusterConfig;
  /** The driver's state dir (sshStateDir(dataDir)). */
  stateDir: string;
}

/** A configured kubeadm cluster reached over ssh. Creating one object connects to nothing. */
export function createSshCluster({ config, stateDir }: SshClusterDeps): SshCluster {
  let kubeconfigCache: string | undefined;

  const nodeConfig = (name: string): SshNodeConfig => {
    const n = config.nodes.find((x) => x.name === name);
    if (!n) {
      throw new NotFoundError(`Cluster ${config.name} has no node "${name}".`, {
        hint: `Its nodes: ${config.nodes.map((x) => x.name).join(", ")}.`,
      });
    }
    return n;
  };
  const target = (node: SshNodeConfig): SshTarget => ({
    node,
    knownHosts: knownHostsFor(stateDir, node),
    connectTimeoutSeconds: config.connectTimeoutSeconds,
  });
  const controlPlane = (): SshNodeConfig => config.nodes.find((n) => n.role === "control-plane")!;

  const exec = async (node: string, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> => {
    if (argv.length === 0) throw new InputError("exec needs a program to run (argv is empty).");
    return runSsh(target(nodeConfig(node)), argv, {
      stdin: opts.stdin,
      timeoutMs: opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS,
      signal: opts.signal,
    });
  };

  return {
    name: config.name,
    driver: "ssh",
    persistent: true,
    config,

    async nodes(): Promise<NodeRef[]> {
      // Control planes first, so callers that take nodes[0] get one.
      const refs = config.nodes.map((n) => ({ name: n.name, role: n.role }));
      return [...refs.filter((n) => n.role === "control-plane"), ...refs.filter((n) => n.role === "worker")];
    },

    async kubeconfig(): Promise<string> {
      if (kubeconfigCache) return kubeconfigCache;
      const src = config.kubeconfig;
      if (src.from === "file") {
        try {
          kubeconfigCache = fs.readFileSync(src.path, "utf8");
        } catch (err) {
          throw new UnavailableError(`The kubeconfig of cluster ${config.name} cannot be read from ${src.path}: ${(err as Error).message}`, {
            hint: "Fix kubeconfig.path in the cluster file, or use from: control-plane to fetch admin.conf.",
          });
        }
        return kubeconfigCache;
      }
      const cp = controlPlane();
      const r = await exec(cp.name, ["cat", "--", src.path], { timeoutMs: (config.connectTimeoutSeconds + 20) * 1000 });
      if (r.code !== 0) {
        throw new UnavailableError(`Cannot read ${src.path} on ${cp.name}: ${r.stderr.trim() || `exit ${r.code}`}`, {
          hint: "The driver needs root or passwordless sudo on the nodes to read admin.conf.",
        });
      }
      kubeconfigCache = rewriteKubeconfigServer(r.stdout, {
        server: src.server,
        tlsServerName: src.tlsServerName,
        reachHost: cp.host,
        source: `${cp.name}:${src.path}`,
      });
      return kubeconfigCache;
    },

    exec,

    shell(node: string): ShellSpec {
      const n = nodeConfig(node);
      return { file: "ssh", args: sshShellArgs(target(n)), env: { ...sshEnv(), TERM: "xterm-256color", LANG: "C.UTF-8" } };
    },

    async destroy(): Promise<void> {
      // The machines are the trainer's: "destroying" a persistent cluster only gives it back.
      kubeconfigCache = undefined;
      releaseClusterLease(stateDir, config.name);
    },

    lease: () => readClusterLease(stateDir, config.name),
    acquire: (holder, opts) => acquireClusterLease(stateDir, config.name, holder, opts),
    release: (holder) => releaseClusterLease(stateDir, config.name, holder),
    needsInstructor: () => readNeedsInstructor(stateDir, config.name),
    markNeedsInstructor: (reason, context) => markNeedsInstructor(stateDir, config.name, reason, context),
    baseline: () => readClusterBaseline(stateDir, config.name),
    saveBaseline: (baseline) => saveClusterBaseline(stateDir, config.name, baseline),
    clearBaseline: () => clearClusterBaseline(stateDir, config.name),

    async checkNodes(opts = {}): Promise<NodeCheck[]> {
      return Promise.all(
        config.nodes.map(async (n): Promise<NodeCheck> => {
          if (!fs.existsSync(n.key)) return { node: n.name, ok: false, detail: `key file ${n.key} does not exist` };
          try {
            const r = await exec(n.name, ["true"], { timeoutMs: (config.connectTimeoutSeconds + 10) * 1000, signal: opts.signal });
            if (r.code === 0) return { node: n.name, ok: true };
            const sudo = /sudo/.test(r.stderr) ? ` (user ${n.user} needs passwordless sudo: "${n.user} ALL=(ALL) NOPASSWD: ALL")` : "";
            return { node: n.name, ok: false, detail: `"true" exited ${r.code}${sudo}: ${r.stderr.trim()}` };
          } catch (err) {
            const e = err as Error & { hint?: string };
            return { node: n.name, ok: false, detail: e.message + (e.hint ? ` ${e.hint}` : "") };
          }
        }),
      );
    },
  };
}
