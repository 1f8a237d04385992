import type { Cluster } from "@/lib/cluster/types";
import type { Requirements } from "./define-scenario";
import { CNI_DIR } from "./faults";

/** What a cluster offers, found out the same way on every driver. */
export interface ClusterFacts {
  workers: number;
  /** "kindnet", another CNI named by its config file, "none" when no config is found, "unknown" when the node cannot be asked. */
  cni: string;
}

/** "10-kindnet.conflist" → "kindnet"; "10-calico.conflist" → "calico". */
export function cniFromFiles(files: string[]): string {
  const configs = files.filter((f) => /\.(conflist|conf|json)$/.test(f)).sort();
  if (!configs.length) return "none";
  if (configs.some((f) => f.includes("kindnet"))) return "kindnet";
  return configs[0]!.replace(/^\d+-/, "").replace(/\.(conflist|conf|json)$/, "");
}

/**
 * Worker count from the driver's node list; CNI from the config files in /etc/cni/net.d on the
 * control-plane node (the file the container runtime itself loads).
 */
export async function clusterFacts(cluster: Cluster, opts: { waitForCniMs?: number } = {}): Promise<ClusterFacts> {
  const nodes = await cluster.nodes();
  const workers = nodes.filter((n) => n.role === "worker").length;
  const cp = nodes.find((n) => n.role === "control-plane") ?? nodes[0];
  if (!cp) return { workers, cni: "none" };
  // A cluster that was just created may not have its CNI config yet: the CNI's own pods write it.
  const deadline = Date.now() + (opts.waitForCniMs ?? 0);
  for (;;) {
    let cni: string;
    try {
      const r = await cluster.exec(cp.name, ["ls", "-1", CNI_DIR], { timeoutMs: 20_000 });
      cni = cniFromFiles(r.code === 0 ? r.stdout.split("\n").filter(Boolean) : []);
    } catch {
      // A driver that cannot run node commands (yet) cannot tell; packs that need a CNI say so.
      return { workers, cni: "unknown" };
    }
    if (cni !== "none" || Date.now() >= deadline) return { workers, cni };
    await new Promise((r) => setTimeout(r, 2000));
  }
}

export type Applicability = { applicable: true } | { applicable: false; reason: string };

/**
 * Whether a pack can run on a cluster with these facts. A pack that cannot is "not applicable
 * here", with the reason; it is neither passed nor failed.
 *
 * @example
 * checkRequirements({ cni: "kindnet" }, { workers: 2, cni: "calico" })
 * // → { applicable: false, reason: "needs the kindnet CNI; this cluster runs calico" }
 */
export function checkRequirements(requires: Requirements | undefined, facts: ClusterFacts): Applicability {
  const reasons: string[] = [];
  if (requires?.workers !== undefined && facts.workers < requires.workers)
    reasons.push(`needs ${requires.workers} worker node(s); this cluster has ${facts.workers}`);
  if (requires?.cni && requires.cni !== "any" && facts.cni !== requires.cni)
    reasons.push(`needs the ${requires.cni} CNI; this cluster ${facts.cni === "none" ? "has no CNI config" : facts.cni === "unknown" ? "cannot list its CNI config" : `runs ${facts.cni}`}`);
  return reasons.length ? { applicable: false, reason: reasons.join("; ") } : { applicable: true };
}
