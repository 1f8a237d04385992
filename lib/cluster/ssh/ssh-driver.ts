import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "@/lib/config";
import { ConflictError, InputError, UnavailableError } from "@/lib/errors";
import type { Availability, ClusterDriver, ClusterSpec } from "@/lib/cluster/types";
import { acquireClusterLease, readClusterLease, releaseClusterLease } from "./cluster-lease";
import { isTrusted } from "./known-hosts";
import { readNeedsInstructor } from "./needs-instructor";
import { createSshCluster, type SshCluster } from "./ssh-cluster";
import { loadSshClusters, type SshClusterConfig } from "./ssh-clusters-file";
import { sshStateDir } from "./ssh-state-dir";

export interface SshDriverDeps {
  config: Pick<Config, "dataDir" | "sshClustersFile">;
  /** How long create() waits for a busy cluster before failing; 0 fails at once. */
  leaseWaitMs?: number;
}

export interface SshDriver extends ClusterDriver {
  name: "ssh";
  /**
   * Leases a configured cluster to spec.name: the cluster named spec.name if there is one,
   * otherwise the smallest free cluster with at least spec.workers workers whose nodes answer.
   * The returned cluster's name is the configured one, not spec.name.
   */
  create(spec: ClusterSpec, opts?: { signal?: AbortSignal }): Promise<SshCluster>;
  /**
   * A configured cluster by its name, or by the spec.name it was created under while that lease
   * lasts; null otherwise. No lease is taken (see PersistentClusterControls.acquire).
   */
  attach(name: string): Promise<SshCluster | null>;
  /** The configured clusters, read fresh from the file (edits apply without a restart). */
  clusters(): SshClusterConfig[];
  stateDir: string;
}

const workersOf = (c: SshClusterConfig) => c.nodes.filter((n) => n.role === "worker").length;

function sshClientWorks(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn("ssh", ["-V"], { stdio: "ignore" });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}

/**
 * The ssh driver: kubeadm clusters that already exist, listed in BREAKFIX_SSH_CLUSTERS. It never
 * creates or deletes machines. create() takes a configured cluster that fits the spec and leases
 * it to `spec.name` (one lab per cluster); destroy() gives it back.
 */
export function createSshDriver(deps: SshDriverDeps): SshDriver {
  const file = deps.config.sshClustersFile;
  const stateDir = sshStateDir(deps.config.dataDir);
  const clusters = () => loadSshClusters(file);
  const open = (c: SshClusterConfig) => createSshCluster({ config: c, stateDir });

  return {
    name: "ssh",
    label: "Your kubeadm cluster (ssh)",
    stateDir,
    clusters,

    async available(): Promise<Availability> {
      if (!(await sshClientWorks())) {
        return { ok: false, missing: ["ssh"], details: ["The ssh client is not installed: apt-get install openssh-client."] };
      }
      let list: SshClusterConfig[];
      try {
        list = clusters();
      } catch (err) {
        return { ok: false, missing: [path.basename(file)], details: [(err as Error).message] };
      }
      if (!list.length) {
        return {
          ok: false,
          missing: [path.basename(file)],
          details: [`No clusters are configured in ${file}${fs.existsSync(file) ? "" : " (the file does not exist)"}. See README, "Using your own kubeadm cluster".`],
        };
      }
      // Every cluster at once: each check is bounded by the cluster's connect timeout.
      const perCluster = await Promise.all(
        list.map(async (c): Promise<{ missing: string[]; details: string[] }> => {
          const untrusted = c.nodes.filter((n) => !isTrusted(stateDir, n));
          if (untrusted.length) {
            return {
              missing: untrusted.map((n) => `${c.name}/${n.name}`),
              details: [`${c.name}: host keys not trusted yet for ${untrusted.map((n) => n.name).join(", ")}; run: npm run ssh-cluster -- trust ${c.name}`],
            };
          }
          const bad = (await open(c).checkNodes()).filter((r) => !r.ok);
          return { missing: bad.map((r) => `${c.name}/${r.node}`), details: bad.map((r) => `${c.name}/${r.node}: ${r.detail}`) };
        }),
      );
      const missing = perCluster.flatMap((r) => r.missing);
      return { ok: missing.length === 0, missing, details: perCluster.flatMap((r) => r.details) };
    },

    async create(spec: ClusterSpec, opts: { signal?: AbortSignal } = {}): Promise<SshCluster> {
      const list = clusters();
      const named = list.find((c) => c.name === spec.name);
      let candidates: SshClusterConfig[];
      if (named) {
        if (workersOf(named) < spec.workers) {
          throw new InputError(`Cluster ${named.name} has ${workersOf(named)} worker node(s); this lab needs ${spec.workers}.`, {
            hint: `Add workers to it in ${file}, or use a bigger cluster.`,
          });
        }
        candidates = [named];
      } else {
        // Smallest fitting cluster first, so big clusters stay free for labs that need them.
        candidates = list.filter((c) => workersOf(c) >= spec.workers).sort((a, b) => workersOf(a) - workersOf(b));
        if (!candidates.length) {
          throw new UnavailableError(`No configured ssh cluster has ${spec.workers} worker node(s).`, {
            hint: list.length ? `Configured: ${list.map((c) => `${c.name} (${workersOf(c)} workers)`).join(", ")}.` : `Add one to ${file}.`,
          });
        }
      }
      const deadline = Date.now() + (deps.leaseWaitMs ?? 0);
      for (;;) {
        const reasons: string[] = [];
        let busy = false;
        for (const c of candidates) {
          const mark = readNeedsInstructor(stateDir, c.name);
          if (mark) {
            reasons.push(`${c.name} needs an instructor (${mark.reason})`);
            continue;
          }
          try {
            await acquireClusterLease(stateDir, c.name, spec.name);
          } catch (err) {
            if (err instanceof ConflictError) {
              busy = true;
              reasons.push(`${c.name} is in use by ${readClusterLease(stateDir, c.name)?.holder ?? "another lab"}`);
              continue;
            }
            throw err;
          }
          // A mark set between the check above and taking the lease still wins.
          if (readNeedsInstructor(stateDir, c.name)) {
            releaseClusterLease(stateDir, c.name, spec.name);
            reasons.push(`${c.name} needs an instructor`);
            continue;
          }
          const cluster = open(c);
          const bad = (await cluster.checkNodes({ signal: opts.signal })).filter((r) => !r.ok);
          if (!bad.length) return cluster;
          releaseClusterLease(stateDir, c.name, spec.name);
          reasons.push(`${c.name} is not reachable (${bad.map((b) => `${b.node}: ${b.detail}`).join("; ")})`);
        }
        if (!busy || Date.now() >= deadline || opts.signal?.aborted) {
          const msg = `No ssh cluster is free for ${spec.name}: ${reasons.join("; ")}.`;
          if (busy) {
            throw new ConflictError(msg, { hint: "A cluster runs one lab at a time. Wait for the other lab to end, or add another cluster." });
          }
          throw new UnavailableError(msg, {
            hint: "A cluster marked as needing an instructor is given out again after: npm run ssh-cluster -- clear <cluster>. Check unreachable ones with: npm run ssh-cluster -- check <cluster>",
          });
        }
        await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(1, deadline - Date.now()))));
      }
    },

    async attach(name: string): Promise<SshCluster | null> {
      const list = clusters();
      // By the configured name, or by the name the cluster was created (leased) under: the lab
      // layer keeps spec.name (its own cluster name) and re-attaches with it after a restart.
      const c = list.find((x) => x.name === name) ?? list.find((x) => readClusterLease(stateDir, x.name)?.holder === name);
      return c ? open(c) : null;
    },

    async list(): Promise<string[]> {
      return clusters().map((c) => c.name);
    },
  };
}
