import type { LabDeps } from "./lab-deps";
import { isLive } from "./lab-states";

export interface HistoryRow {
  id: string;
  scenarioId: string;
  title: string;
  state: string;
  score: number;
  maxScore: number;
  startedAt: string;
  /** From ready (or start) to the end, or to now while live. */
  elapsedMs: number;
  live: boolean;
}

export interface ScenarioBest {
  scenarioId: string;
  title: string;
  bestScore: number;
  maxScore: number;
  attempts: number;
  solved: boolean;
}

export interface LabHistory {
  sessions: HistoryRow[];
  best: ScenarioBest[];
}

/** Past and current labs of one learner, newest first, with the best score per scenario. */
export async function getLabHistory(deps: Pick<LabDeps, "db" | "findScenario" | "now">, userId: string): Promise<LabHistory> {
  const rows = await deps.db.labSession.findMany({ where: { userId }, orderBy: { startedAt: "desc" } });
  const now = deps.now();
  const sessions = rows.map((s) => ({
    id: s.id,
    scenarioId: s.scenarioId,
    title: deps.findScenario(s.scenarioId)?.pack.title ?? s.scenarioId,
    state: s.state,
    score: s.score,
    maxScore: s.maxScore,
    startedAt: s.startedAt.toISOString(),
    elapsedMs: Math.max(0, (s.endedAt ?? now).getTime() - (s.readyAt ?? s.startedAt).getTime()),
    live: isLive(s.state),
  }));
  const best = new Map<string, ScenarioBest>();
  for (const s of sessions) {
    const b = best.get(s.scenarioId) ?? { scenarioId: s.scenarioId, title: s.title, bestScore: 0, maxScore: s.maxScore, attempts: 0, solved: false };
    b.attempts += 1;
    if (s.score > b.bestScore || (s.score === b.bestScore && s.maxScore > b.maxScore)) {
      b.bestScore = s.score;
      b.maxScore = s.maxScore;
    }
    if (s.state === "passed") b.solved = true;
    best.set(s.scenarioId, b);
  }
  return { sessions, best: [...best.values()].sort((a, b) => a.title.localeCompare(b.title)) };
}
