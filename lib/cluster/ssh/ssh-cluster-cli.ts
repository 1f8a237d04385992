import { z } from "zod";
import type { Config } from "@/lib/config";
import { BreakfixError, InputError } from "@/lib/errors";
import { readClusterLease, releaseClusterLease } from "./cluster-lease";
import { compareClusterNodes, kubectlGetNodes } from "./compare-cluster-nodes";
import { forgetNode, isTrusted, knownHostsPattern, trustNode } from "./known-hosts";
import { clearNeedsInstructor, readNeedsInstructor } from "./needs-instructor";
import { kubeconfigServers } from "./rewrite-kubeconfig-server";
import { createSshCluster } from "./ssh-cluster";
import { findSshCluster, loadSshClusters, type SshClusterConfig } from "./ssh-clusters-file";
import { sshStateDir } from "./ssh-state-dir";

const USAGE = [
  "Usage: npm run ssh-cluster -- <command> [cluster] [--node NODE]",
  "  list                     configured clusters, their nodes, lease and state",
  "  check <cluster>          nodes answer over ssh (and sudo works); kubeconfig readable; API names the nodes alike",
  "  trust <cluster> [--node N]   record the nodes' current host keys (prints the fingerprints)",
  "  forget <cluster> --node N    drop a node's recorded host keys (after a reinstall)",
  "  release <cluster>        give the cluster back after a lab that is gone (reset it first)",
  "  clear <cluster>          clear the 'needs an instructor' mark after repairing the cluster",
].join("\n");

const argsSchema = z.discriminatedUnion("command", [
  z.object({ command: z.literal("list") }),
  z.object({ command: z.enum(["check", "trust", "release", "clear"]), cluster: z.string().min(1, "needs a cluster name"), node: z.string().optional() }),
  z.object({ command: z.literal("forget"), cluster: z.string().min(1, "needs a cluster name"), node: z.string().min(1, "needs --node NODE") }),
]);

type Args = z.infer<typeof argsSchema>;

export function parseSshClusterArgs(argv: string[]): Args {
  const rest = [...argv];
  const raw: Record<string, unknown> = { command: rest.shift() };
  while (rest.length) {
    const a = rest.shift()!;
    const m = /^--node(?:=(.*))?$/.exec(a);
    if (m) raw.node = m[1] ?? rest.shift();
    else if (!a.startsWith("-") && raw.cluster === undefined) raw.cluster = a;
    else throw new InputError(`Unknown argument "${a}".`, { hint: USAGE });
  }
  if (raw.command !== "list") raw.cluster ??= "";
  if (raw.command === "forget") raw.node ??= "";
  const parsed = argsSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new InputError(`${String(i.path[0] ?? "command")}: ${i.message}`, { hint: USAGE });
  }
  return parsed.data;
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

function pickNodes(c: SshClusterConfig, node: string | undefined) {
  if (node === undefined) return c.nodes;
  const n = c.nodes.find((x) => x.name === node);
  if (!n) throw new InputError(`Cluster ${c.name} has no node "${node}".`, { hint: `Its nodes: ${c.nodes.map((x) => x.name).join(", ")}.` });
  return [n];
}

/** `npm run ssh-cluster -- …`: the instructor's tools for configured clusters. Returns the exit code. */
export async function runSshClusterCli(
  argv: string[],
  config: Pick<Config, "dataDir" | "sshClustersFile">,
  io: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) },
): Promise<number> {
  const stateDir = sshStateDir(config.dataDir);
  const file = config.sshClustersFile;
  try {
    const args = parseSshClusterArgs(argv);
    const list = loadSshClusters(file);
    if (args.command === "list") {
      if (!list.length) io.out(`No clusters in ${file}. See README, "Using your own kubeadm cluster".`);
      for (const c of list) {
        const lease = readClusterLease(stateDir, c.name);
        const mark = readNeedsInstructor(stateDir, c.name);
        const state = mark ? `NEEDS AN INSTRUCTOR since ${mark.since}: ${mark.reason}` : lease ? `in use by ${lease.holder} since ${lease.since}` : "free";
        io.out(`${c.name}: ${state}`);
        for (const n of c.nodes) {
          const trust = n.hostKey ? "host key pinned" : isTrusted(stateDir, n) ? "host key trusted" : "host key NOT trusted yet";
          io.out(`  ${n.name} (${n.role}) ${n.user}@${knownHostsPattern(n.host, n.port)}${n.sudo ? " via sudo" : ""}, ${trust}`);
        }
      }
      return 0;
    }
    const c = findSshCluster(list, args.cluster, file);
    switch (args.command) {
      case "trust": {
        let failed = 0;
        for (const n of pickNodes(c, args.node)) {
          try {
            const r = await trustNode(stateDir, n);
            if (r.pinned) io.out(`${n.name} (${r.pattern}): offers the pinned key ${r.known.join(", ")}`);
            else if (r.added.length) io.out(`${n.name} (${r.pattern}): now trusting ${r.added.join(", ")}`);
            else io.out(`${n.name} (${r.pattern}): already trusted (${r.known.join(", ")})`);
          } catch (err) {
            failed++;
            const e = err as Error & { hint?: string };
            io.err(`${n.name}: ${e.message}${e.hint ? `\n  ${e.hint}` : ""}`);
          }
        }
        if (!failed) io.out("Compare these fingerprints with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on each node's console.");
        return failed ? 1 : 0;
      }
      case "forget": {
        for (const n of pickNodes(c, args.node)) io.out(`${n.name}: removed ${forgetNode(stateDir, n)} recorded host key(s)`);
        return 0;
      }
      case "check": {
        const cluster = createSshCluster({ config: c, stateDir });
        let ok = true;
        for (const r of await cluster.checkNodes()) {
          ok &&= r.ok;
          io.out(`${r.node}: ${r.ok ? "ok" : `FAILED: ${r.detail}`}`);
        }
        let kc: string | undefined;
        if (ok) {
          try {
            kc = await cluster.kubeconfig();
            io.out(`kubeconfig: ok (server ${kubeconfigServers(kc).join(", ")})`);
          } catch (err) {
            ok = false;
            io.out(`kubeconfig: FAILED: ${(err as Error).message}`);
          }
        }
        if (kc) {
          const nodes = await kubectlGetNodes(kc);
          if (!nodes.ok) {
            ok = false;
            io.out(`api: FAILED: ${nodes.error}`);
          } else {
            const cmp = compareClusterNodes(c.nodes, nodes.json);
            ok &&= cmp.ok;
            io.out("api: ok");
            for (const l of cmp.lines) io.out(`  ${l}`);
          }
        }
        return ok ? 0 : 1;
      }
      case "release": {
        const lease = readClusterLease(stateDir, c.name);
        releaseClusterLease(stateDir, c.name);
        io.out(lease ? `Released ${c.name} (was in use by ${lease.holder}). If that lab injected a fault, make sure the cluster is healthy.` : `${c.name} was not in use.`);
        return 0;
      }
      case "clear": {
        io.out(clearNeedsInstructor(stateDir, c.name) ? `Cleared: ${c.name} can be given to labs again.` : `${c.name} was not marked.`);
        return 0;
      }
    }
  } catch (err) {
    if (err instanceof BreakfixError) {
      io.err(err.message + (err.hint ? `\n${err.hint}` : ""));
      return err.code === "INPUT" && /Unknown argument|^command|^cluster|^node/.test(err.message) ? 2 : 1;
    }
    throw err;
  }
}
