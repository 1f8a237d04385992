import { runOnce, DEFAULT_CHECK_TIMEOUT_MS, type CheckOutcome } from "@/lib/grading/run-checks";
import { NotFoundError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { getLabCluster, labKubeconfig } from "@/lib/labs/lab-clusters";
import type { LabDeps } from "@/lib/labs/lab-deps";
import { loadOwnedSession } from "@/lib/labs/load-owned-session";
import { parseCheckResults } from "@/lib/labs/parse-check-results";
import { scenarioOf } from "@/lib/labs/scenario-of";
import { isLessonId } from "./define-lesson";

export type LessonStepStatus = "done" | "current" | "todo";

export interface LessonStepProgress {
  id: string;
  status: LessonStepStatus;
  /** The check's learner-safe message: what it saw (done or current steps only). */
  message?: string;
}

/** What the lesson page polls; plain data, safe for the browser. */
export interface LessonProgress {
  labId: string;
  lesson: string;
  state: string;
  steps: LessonStepProgress[];
  /** Index of the step the learner is on; null once every step is done. */
  current: number | null;
  done: number;
  total: number;
  complete: boolean;
}

/**
 * Where a learner is in a lesson. Steps are taken in order and stay done once done (a later step
 * may well undo an earlier one's state: deleting the pod the first step created). So only the
 * first step not done yet is checked against the cluster, and, while checks pass, the ones after
 * it. An advance is persisted as a CheckRun (1 point per step), which keeps it across restarts
 * and puts the lesson's score in the learner's history. Checks run only while the lab is ready;
 * a reset (a fresh cluster) starts the lesson over.
 *
 * @example
 * const p = await getLessonProgress(services().labs, labId, user.id);
 * if (p.complete) console.log("lesson done");
 */
export async function getLessonProgress(deps: LabDeps, labSessionId: string, userId: string): Promise<LessonProgress> {
  const session = await loadOwnedSession(deps, labSessionId, userId);
  if (!isLessonId(session.scenarioId)) throw new NotFoundError("This lab is not a lesson.", { hint: "Open it from the catalogue's Lessons." });
  const { pack } = scenarioOf(deps, session);
  // Progress belongs to the cluster it was made on: after a reset (a fresh cluster, readyAt anew)
  // the lesson starts over, and while a cluster is being prepared nothing is done on it yet.
  const last = session.readyAt
    ? await deps.db.checkRun.findFirst({ where: { labSessionId: session.id, createdAt: { gte: session.readyAt } }, orderBy: { createdAt: "desc" } })
    : null;
  const recorded = new Map(parseCheckResults(last?.results ?? "[]").map((r) => [r.id, r]));
  const outcomes: CheckOutcome[] = [];
  let i = 0;
  // The done prefix, as recorded.
  for (; i < pack.checks.length && recorded.get(pack.checks[i]!.id)?.ok; i++) outcomes.push(recorded.get(pack.checks[i]!.id)!);
  const before = i;
  let currentMessage: string | undefined;
  if (i < pack.checks.length && session.state === "ready") {
    const cluster = await getLabCluster(deps, session.id);
    const controller = new AbortController();
    const ctx = await deps.createContext(cluster, { signal: controller.signal, log: (m) => logger.debug({ labSessionId }, m), kubeconfig: labKubeconfig(session.id) });
    try {
      for (; i < pack.checks.length; i++) {
        const check = pack.checks[i]!;
        const t0 = Date.now();
        const r = await runOnce(check, ctx, check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS);
        const outcome: CheckOutcome = { id: check.id, title: check.title, points: check.points, ok: r.ok, message: r.message, ...(r.detail ? { detail: r.detail } : {}), durationMs: Date.now() - t0 };
        if (!r.ok) {
          currentMessage = r.message;
          outcomes.push(outcome);
          break;
        }
        outcomes.push(outcome);
      }
    } finally {
      controller.abort();
      ctx.dispose();
    }
  }
  const doneCount = outcomes.filter((o) => o.ok).length;
  if (doneCount > before) {
    const maxScore = pack.checks.length;
    // Steps after the current one were not checked: recorded as not done, without a reason.
    const results = pack.checks.map((c) => outcomes.find((o) => o.id === c.id) ?? { id: c.id, title: c.title, points: c.points, ok: false, message: "Not reached yet.", durationMs: 0 });
    await deps.db.checkRun.create({
      data: {
        labSessionId: session.id,
        durationMs: outcomes.slice(before).reduce((n, o) => n + o.durationMs, 0),
        score: doneCount,
        maxScore,
        hintPenalty: 0,
        allPassed: doneCount === maxScore,
        results: JSON.stringify(results),
      },
    });
    await deps.db.labSession.update({ where: { id: session.id }, data: { score: doneCount, maxScore } });
  }
  const current = doneCount < pack.checks.length ? doneCount : null;
  return {
    labId: session.id,
    lesson: session.scenarioId,
    state: session.state,
    steps: pack.checks.map((c, idx) => {
      if (idx < doneCount) return { id: c.id, status: "done", message: outcomes[idx]?.message };
      if (idx === current) return { id: c.id, status: "current", ...(currentMessage ? { message: currentMessage } : {}) };
      return { id: c.id, status: "todo" };
    }),
    current,
    done: doneCount,
    total: pack.checks.length,
    complete: current === null,
  };
}
