import { NotFoundError } from "@/lib/errors";
import { toRecordingView, type RecordingView } from "@/lib/labs/lab-results";
import { toCheckRunView, type CheckRunView } from "@/lib/labs/lab-view";
import type { InstructorDeps } from "./instructor-deps";
import { visibleLearnerIds, type Viewer } from "./learner-scope";

export interface AttemptReport {
  id: string;
  state: string;
  pack: { slug: string; title: string };
  variant: { id: string; title: string | null };
  driver: string;
  learner: { id: string; name: string; email: string | null };
  startedAt: string;
  readyAt: string | null;
  endedAt: string | null;
  score: number;
  maxScore: number;
  resetCount: number;
  failureMessage: string | null;
  examAttemptId: string | null;
  /** Oldest first, each with its per-check results. */
  checkRuns: CheckRunView[];
  hintsUsed: { index: number; cost: number; text: string | null; at: string }[];
  recordings: RecordingView[];
}

/**
 * One learner's lab session as an instructor reviews it: every check run with per-check
 * results, the hints revealed and when, and the terminal recordings. Any learner's, unlike the
 * learner's own results page: the caller has checked that the user is an instructor.
 */
export async function attemptReport(deps: InstructorDeps, labSessionId: string, viewer: Viewer): Promise<AttemptReport> {
  const s = await deps.db.labSession.findUnique({
    where: { id: labSessionId },
    include: {
      user: { select: { id: true, name: true, email: true } },
      checkRuns: { orderBy: { createdAt: "asc" } },
      hintUses: { orderBy: { hintIndex: "asc" } },
      recordings: { orderBy: { startedAt: "asc" } },
    },
  });
  const visible = await visibleLearnerIds(deps.db, viewer);
  // A learner outside the viewer's classes is "no such attempt", as for a missing id.
  if (!s || (visible !== null && !visible.includes(s.userId))) throw new NotFoundError("There is no such attempt.");
  const pack = deps.scenarios().scenarios.find((x) => x.slug === s.scenarioId)?.pack;
  return {
    id: s.id,
    state: s.state,
    pack: { slug: s.scenarioId, title: pack?.title ?? s.scenarioId },
    variant: { id: s.variantId, title: pack?.variants.find((v) => v.id === s.variantId)?.title ?? null },
    driver: s.driver,
    learner: s.user,
    startedAt: s.startedAt.toISOString(),
    readyAt: s.readyAt?.toISOString() ?? null,
    endedAt: s.endedAt?.toISOString() ?? null,
    score: s.score,
    maxScore: s.maxScore,
    resetCount: s.resetCount,
    failureMessage: s.failureMessage,
    examAttemptId: s.examAttemptId,
    checkRuns: s.checkRuns.map(toCheckRunView),
    hintsUsed: s.hintUses.map((h) => ({ index: h.hintIndex, cost: h.cost, text: pack?.hints[h.hintIndex]?.text ?? null, at: h.createdAt.toISOString() })),
    recordings: s.recordings.map(toRecordingView),
  };
}
