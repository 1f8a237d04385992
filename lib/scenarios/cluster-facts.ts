import type { V1Node } from "@kubernetes/client-node";
import type { Cluster } from "@/lib/cluster/types";
import { k8sApis } from "./create-scenario-context";
import type { Requirements } from "./define-scenario";
import { CNI_DIR } from "./faults";

/** What a cluster offers, found out the same way on every driver. */
export interface ClusterFacts {
  workers: number;
  /** "kindnet", another CNI named by its config file, "none" when no config is found, "unknown" when the node cannot be asked. */
  cni: string;
  /** Nodes that take a pod without tolerations (see schedulableNodeCount); null when the API cannot be asked. */
  schedulableNodes: number | null;
}

/**
 * How many nodes a pod without tolerations can be scheduled on: not cordoned, and no NoSchedule
 * or NoExecute taint other than the node.kubernetes.io/* condition taints, which the node
 * lifecycle controller adds and removes as a node's health changes (a node of a cluster that is
 * still starting carries not-ready for a few seconds). The control-plane taint counts: a
 * one-node kubeadm cluster keeps it unless its admin removed it, and kind removes it only when
 * the cluster has a single node.
 */
export function schedulableNodeCount(nodes: V1Node[]): number {
  return nodes.filter((n) => {
    if (n.spec?.unschedulable) return false;
    return !(n.spec?.taints ?? []).some(
      (t) => (t.effect === "NoSchedule" || t.effect === "NoExecute") && !t.key.startsWith("node.kubernetes.io/"),
    );
  }).length;
}

async function readSchedulableNodes(cluster: Cluster): Promise<number | null> {
  try {
    const { core } = k8sApis(await cluster.kubeconfig());
    return schedulableNodeCount((await core.listNode()).items);
  } catch {
    return null;
  }
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
 * control-plane node (the file the container runtime itself loads); schedulable nodes from the
 * Node objects' taints.
 */
export async function clusterFacts(cluster: Cluster, opts: { waitForCniMs?: number } = {}): Promise<ClusterFacts> {
  const nodes = await cluster.nodes();
  const workers = nodes.filter((n) => n.role === "worker").length;
  const schedulableNodes = await readSchedulableNodes(cluster);
  const cp = nodes.find((n) => n.role === "control-plane") ?? nodes[0];
  if (!cp) return { workers, cni: "none", schedulableNodes };
  // A cluster that was just created may not have its CNI config yet: the CNI's own pods write it.
  const deadline = Date.now() + (opts.waitForCniMs ?? 0);
  for (;;) {
    let cni: string;
    try {
      const r = await cluster.exec(cp.name, ["ls", "-1", CNI_DIR], { timeoutMs: 20_000 });
      cni = cniFromFiles(r.code === 0 ? r.stdout.split("\n").filter(Boolean) : []);
    } catch {
      // A driver that cannot run node commands (yet) cannot tell; packs that need a CNI say so.
      return { workers, cni: "unknown", schedulableNodes };
    }
    if (cni !== "none" || Date.now() >= deadline) return { workers, cni, schedulableNodes };
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
  if (requires?.schedulableNodes !== undefined && facts.schedulableNodes !== null && facts.schedulableNodes < requires.schedulableNodes)
    reasons.push(
      `needs ${requires.schedulableNodes} node(s) that take pods without tolerations; this cluster has ${facts.schedulableNodes} (a control-plane taint or cordon keeps ordinary pods off the others)`,
    );
  return reasons.length ? { applicable: false, reason: reasons.join("; ") } : { applicable: true };
}
