import type { NodeRef } from "@/lib/cluster/types";
import type { CheckRun } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";
import { getLabCluster } from "./lab-clusters";
import { driverLabel } from "./driver-label";
import type { CheckOutcome, LabDeps } from "./lab-deps";
import { latestProgress, type ProvisionProgress } from "./lab-progress";
import { labFailureOf } from "./lab-failure";
import { PROVISION_STEPS, type LabFailure, isLive } from "./lab-states";
import { loadOwnedSession } from "./load-owned-session";
import { parseCheckResults } from "./parse-check-results";
import { scenarioOf } from "./scenario-of";

export interface CheckRunView {
  id: string;
  createdAt: string;
  score: number;
  maxScore: number;
  hintPenalty: number;
  allPassed: boolean;
  durationMs: number;
  results: CheckOutcome[];
}

export interface HintView {
  index: number;
  cost: number;
  revealed: boolean;
  /** Only once revealed. */
  text?: string;
}

/** Everything the lab page shows; plain data, safe for the browser (no variant, no solution). */
export interface LabView {
  id: string;
  state: string;
  /** A failure or expiry explained to the learner: what happened and what to do. */
  failure: LabFailure | null;
  scenario: { slug: string; title: string; summary: string; domain: string; difficulty: string; minutes: number };
  brief: string;
  driver: string;
  driverLabel: string;
  startedAt: string;
  readyAt: string | null;
  endedAt: string | null;
  score: number;
  maxScore: number;
  hintPenalty: number;
  nodes: NodeRef[];
  hints: HintView[];
  lastCheck: CheckRunView | null;
  progress: ProvisionProgress;
}

export function toCheckRunView(run: CheckRun): CheckRunView {
  return {
    id: run.id,
    createdAt: run.createdAt.toISOString(),
    score: run.score,
    maxScore: run.maxScore,
    hintPenalty: run.hintPenalty,
    allPassed: run.allPassed,
    durationMs: run.durationMs,
    results: parseCheckResults(run.results),
  };
}

/** Progress as known in memory, or rebuilt from the persisted state (after a restart). */
function progressOf(
  s: { id: string; state: string; provisionStep: string | null; failureMessage: string | null; failureHint: string | null; readyAt: Date | null },
  driverLabel: string,
): ProvisionProgress {
  const mem = latestProgress(s.id);
  if (mem) return mem;
  const current = PROVISION_STEPS.findIndex((step) => step === s.provisionStep);
  const at = s.readyAt ? PROVISION_STEPS.length : Math.max(0, current);
  const failed = s.state === "failed" && !s.readyAt;
  const failure = labFailureOf(s);
  return {
    labSessionId: s.id,
    driverLabel,
    steps: PROVISION_STEPS.map((id, i) => ({
      id,
      status: i < at ? "done" : i === at ? (failed ? "failed" : s.state === "provisioning" ? "running" : "pending") : "pending",
    })),
    error: failed && failure ? { message: failure.message, ...(failure.hint !== null ? { hint: failure.hint } : {}) } : undefined,
    done: Boolean(s.readyAt),
  };
}

export async function getLabView(deps: LabDeps, labSessionId: string, userId: string): Promise<LabView> {
  const s = await loadOwnedSession(deps, labSessionId, userId);
  const { scenario, pack } = scenarioOf(deps, s);
  const [uses, last] = await Promise.all([
    deps.db.hintUse.findMany({ where: { labSessionId: s.id } }),
    deps.db.checkRun.findFirst({ where: { labSessionId: s.id }, orderBy: { createdAt: "desc" } }),
  ]);
  const used = new Map(uses.map((u) => [u.hintIndex, u]));
  let nodes: NodeRef[] = [];
  if (isLive(s.state) && s.state !== "provisioning") {
    try {
      nodes = await (await getLabCluster(deps, s.id)).nodes();
    } catch (err) {
      logger.warn({ err, labSessionId: s.id }, "could not list the lab's nodes");
    }
  }
  return {
    id: s.id,
    state: s.state,
    failure: labFailureOf(s),
    scenario: {
      slug: scenario.slug,
      title: pack.title,
      summary: pack.summary,
      domain: pack.domain,
      difficulty: pack.difficulty,
      minutes: pack.minutes,
    },
    brief: scenario.brief,
    driver: s.driver,
    driverLabel: driverLabel(deps, s.driver),
    startedAt: s.startedAt.toISOString(),
    readyAt: s.readyAt?.toISOString() ?? null,
    endedAt: s.endedAt?.toISOString() ?? null,
    score: s.score,
    maxScore: s.maxScore || pack.checks.reduce((n, c) => n + c.points, 0),
    hintPenalty: uses.reduce((n, u) => n + u.cost, 0),
    nodes,
    hints: pack.hints.map((h, index) => {
      const u = used.get(index);
      return u ? { index, cost: u.cost, revealed: true, text: h.text } : { index, cost: h.cost, revealed: false };
    }),
    lastCheck: last ? toCheckRunView(last) : null,
    progress: progressOf(s, driverLabel(deps, s.driver)),
  };
}
