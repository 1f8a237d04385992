import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startSimCluster, type SimCluster } from "@/lib/cluster/sim/sim-cluster";
import { simNodeAccess } from "@/lib/cluster/sim/node/sim-node-access";
import { nodeRootDir } from "@/lib/cluster/sim/node/node-layout";
import type { Cluster } from "@/lib/cluster/types";
import { createScenarioContext, type ScenarioContextHandle } from "../create-scenario-context";
import { waitFor } from "../wait-for";

/**
 * An in-process sim cluster with its node side (kubelets, static pods, CNI files) and the
 * scenario context a pack would get on it, for tests that build cluster states for checks.
 */
export interface SimLab {
  sim: SimCluster;
  ctx: ScenarioContextHandle;
  /** A node's file on the host, for tests that break a node the way a fault does. */
  hostPath(node: string, nodePath: string): string;
  stop(): Promise<void>;
}

export async function startSimLab(opts: { name: string; workers: number; timeScale?: number }): Promise<SimLab> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `breakfix-simlab-${opts.name}-`));
  const sim = await startSimCluster({ name: opts.name, workers: opts.workers, clusterDir: dir, timeScale: opts.timeScale ?? 1, keyAlgorithm: "ecdsa-p256" });
  const access = simNodeAccess(dir, sim.nodes);
  const cluster = {
    name: opts.name,
    driver: "sim",
    nodes: async () => sim.nodes.map((n) => ({ name: n.name, role: n.role })),
    kubeconfig: async () => sim.kubeconfig(),
    exec: (node: string, argv: string[], o?: Parameters<Cluster["exec"]>[2]) => access.exec(node, argv, o),
  } as unknown as Cluster;
  const ctx = await createScenarioContext(cluster);
  await waitFor(
    async () => {
      const nodes = (await ctx.k8s.core.listNode()).items;
      return nodes.length === sim.nodes.length && nodes.every((n) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
    },
    { timeoutMs: 90_000, intervalMs: 200, what: `every node of sim cluster ${opts.name} to be Ready` },
  );
  return {
    sim,
    ctx,
    hostPath: (node, nodePath) => path.join(nodeRootDir(dir, node), nodePath),
    async stop() {
      ctx.dispose();
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
