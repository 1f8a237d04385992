import type { LabDeps } from "./lab-deps";
import { isLive } from "./lab-states";

export interface ScenarioStatus {
  status: "new" | "attempted" | "solved";
  bestScore: number | null;
  maxScore: number | null;
  /** The learner's live lab of this scenario, to resume it. */
  liveLabId: string | null;
}

/** Per scenario: new (never started), attempted, or solved (a lab ended `passed`), with the best score. */
export async function getCatalogueStatus(deps: Pick<LabDeps, "db">, userId: string): Promise<Map<string, ScenarioStatus>> {
  const rows = await deps.db.labSession.findMany({
    where: { userId },
    select: { id: true, scenarioId: true, state: true, score: true, maxScore: true },
    orderBy: { startedAt: "desc" },
  });
  const out = new Map<string, ScenarioStatus>();
  for (const r of rows) {
    const cur = out.get(r.scenarioId) ?? { status: "attempted", bestScore: null, maxScore: null, liveLabId: null };
    if (r.state === "passed") cur.status = "solved";
    if (isLive(r.state) && !cur.liveLabId) cur.liveLabId = r.id;
    if (r.maxScore > 0 && (cur.bestScore === null || r.score > cur.bestScore)) {
      cur.bestScore = r.score;
      cur.maxScore = r.maxScore;
    }
    out.set(r.scenarioId, cur);
  }
  return out;
}
