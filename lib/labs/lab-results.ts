import { ConflictError } from "@/lib/errors";
import { driverLabel } from "./driver-label";
import type { LabDeps } from "./lab-deps";
import { labFailureOf } from "./lab-failure";
import { isLive, type LabFailure } from "./lab-states";
import { loadOwnedSession } from "./load-owned-session";
import { scenarioOf } from "./scenario-of";
import { toCheckRunView, type CheckRunView } from "./lab-view";

export interface RecordingView {
  id: string;
  node: string;
  startedAt: string;
  bytes: number;
}

export function toRecordingView(r: { id: string; node: string; startedAt: Date; bytes: number }): RecordingView {
  return { id: r.id, node: r.node, startedAt: r.startedAt.toISOString(), bytes: r.bytes };
}

/** The results page of an ended lab. Only here does the learner see solution.md. */
export interface LabResults {
  id: string;
  state: string;
  /** Why the lab failed or ended without the learner, if it did. */
  failure: LabFailure | null;
  scenario: { slug: string; title: string; minutes: number; domain: string; difficulty: string };
  driverLabel: string;
  score: number;
  maxScore: number;
  /** From ready (or start) to the end, in ms. */
  elapsedMs: number;
  hintsUsed: { index: number; cost: number; text: string }[];
  hintPenalty: number;
  checks: CheckRunView[];
  finalCheck: CheckRunView | null;
  solution: string;
  recordings: RecordingView[];
}

export async function getLabResults(deps: LabDeps, labSessionId: string, userId: string): Promise<LabResults> {
  const s = await loadOwnedSession(deps, labSessionId, userId);
  if (isLive(s.state)) throw new ConflictError("This lab is still running.", { hint: "Finish it or give up to see the results." });
  const { scenario, pack } = scenarioOf(deps, s);
  const [uses, runs, recordings] = await Promise.all([
    deps.db.hintUse.findMany({ where: { labSessionId: s.id }, orderBy: { hintIndex: "asc" } }),
    deps.db.checkRun.findMany({ where: { labSessionId: s.id }, orderBy: { createdAt: "asc" } }),
    deps.db.terminalRecording.findMany({ where: { labSessionId: s.id }, orderBy: { startedAt: "asc" } }),
  ]);
  const checks = runs.map(toCheckRunView);
  const start = s.readyAt ?? s.startedAt;
  return {
    id: s.id,
    state: s.state,
    failure: labFailureOf(s),
    scenario: { slug: scenario.slug, title: pack.title, minutes: pack.minutes, domain: pack.domain, difficulty: pack.difficulty },
    driverLabel: driverLabel(deps, s.driver),
    score: s.score,
    maxScore: s.maxScore || pack.checks.reduce((n, c) => n + c.points, 0),
    elapsedMs: Math.max(0, (s.endedAt ?? deps.now()).getTime() - start.getTime()),
    hintsUsed: uses.map((u) => ({ index: u.hintIndex, cost: u.cost, text: pack.hints[u.hintIndex]?.text ?? "(hint removed from the pack)" })),
    hintPenalty: uses.reduce((n, u) => n + u.cost, 0),
    checks,
    finalCheck: checks.at(-1) ?? null,
    solution: scenario.solution,
    recordings: recordings.map(toRecordingView),
  };
}
