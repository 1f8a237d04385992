import type { Cluster } from "@/lib/cluster/types";
import { ConflictError, NotFoundError, UnavailableError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { TerminalTarget, TerminalTargetResolver } from "./terminal-target";

/** The LabSession fields a cluster lookup needs. */
export interface LabClusterRef {
  id: string;
  driver: string;
  clusterName: string | null;
}

/** lib/labs answers this: the live cluster of a lab session, or null if it is gone. */
export type LabClusterLookup = (lab: LabClusterRef) => Promise<Cluster | null>;

/** Lab states in which the learner has a cluster to type into. */
const OPEN_STATES = new Set(["ready", "checking"]);

/**
 * Terminals on a real lab: the LabSession must exist, belong to the user and be running, and the
 * node must be one of its cluster's nodes (node names from requests are checked against known
 * values, never used as given). The shell is whatever the cluster's driver says (`shell(node)`).
 */
export class LabSessionTargetResolver implements TerminalTargetResolver {
  constructor(private readonly deps: { prisma: () => PrismaClient; clusterFor: LabClusterLookup }) {}

  private async cluster(userId: string, labSessionId: string, node: string): Promise<Cluster> {
    const lab = await this.deps.prisma().labSession.findUnique({
      where: { id: labSessionId },
      select: { id: true, userId: true, state: true, driver: true, clusterName: true },
    });
    // Someone else's lab answers like a missing one (as every lab route does), so ids cannot be probed.
    if (!lab || lab.userId !== userId) throw new NotFoundError("No such lab session.");
    if (!OPEN_STATES.has(lab.state)) {
      throw new ConflictError(`The lab is ${lab.state}, so it has no terminal.`, { hint: "Start or resume the lab first." });
    }
    const cluster = await this.deps.clusterFor(lab);
    if (!cluster) throw new UnavailableError("The lab's cluster is gone.", { hint: "Reset or restart the lab." });
    const nodes = await cluster.nodes();
    if (!nodes.some((n) => n.name === node)) throw new NotFoundError(`The lab's cluster has no node named ${JSON.stringify(node)}.`);
    return cluster;
  }

  async authorize(userId: string, labSessionId: string, node: string): Promise<void> {
    await this.cluster(userId, labSessionId, node);
  }

  async resolve(userId: string, labSessionId: string, node: string): Promise<TerminalTarget> {
    const cluster = await this.cluster(userId, labSessionId, node);
    return { shell: cluster.shell(node), linkRecording: true };
  }
}

/** Sends the dev pseudo-session to the dev shell and everything else to real labs. */
export function routeTerminalTargets(routes: { devLabSessionId: string; dev: TerminalTargetResolver; labs: TerminalTargetResolver }): TerminalTargetResolver {
  const pick = (labSessionId: string) => (labSessionId === routes.devLabSessionId ? routes.dev : routes.labs);
  return {
    authorize: (u, l, n) => pick(l).authorize(u, l, n),
    resolve: (u, l, n) => pick(l).resolve(u, l, n),
  };
}
