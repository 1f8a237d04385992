import { isLiveAttempt } from "@/lib/exams/attempt-states";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isLive } from "@/lib/labs/lab-states";
import type { AssignmentKind } from "./assignment-input";
import type { AttemptFacts } from "./grade-assignment-cell";

function percent(score: number | null, maxScore: number | null): number | null {
  if (score === null || maxScore === null) return null;
  return maxScore > 0 ? Math.round((score * 100) / maxScore) : 0;
}

/**
 * Each user's attempts at a pack (practice labs, not exam tasks) or an exam blueprint, started at
 * or after `since`. A lab whose cluster never became ready, or an exam cancelled because no task
 * could be prepared, is the server's failure, not the learner's attempt, and is left out.
 */
export async function assignmentAttempts(
  prisma: PrismaClient,
  kind: AssignmentKind,
  target: string,
  userIds: readonly string[],
  since: Date,
): Promise<Map<string, AttemptFacts[]>> {
  const out = new Map<string, AttemptFacts[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  if (kind === "pack") {
    const rows = await prisma.labSession.findMany({
      where: { userId: { in: [...userIds] }, scenarioId: target, examAttemptId: null, startedAt: { gte: since } },
      select: { id: true, userId: true, state: true, readyAt: true, startedAt: true, endedAt: true, score: true, maxScore: true },
    });
    for (const r of rows) {
      const live = isLive(r.state);
      if (!live && r.readyAt === null) continue;
      out.get(r.userId)!.push({
        id: r.id,
        startedAt: r.startedAt,
        endedAt: live ? null : (r.endedAt ?? r.startedAt),
        live,
        // A lab ended without a check has no maximum yet: it scored nothing.
        scorePercent: live ? null : percent(r.score, r.maxScore),
        passed: r.state === "passed",
      });
    }
  } else {
    const rows = await prisma.examAttempt.findMany({
      where: { userId: { in: [...userIds] }, exam: { slug: target }, startedAt: { gte: since }, state: { not: "cancelled" } },
      select: { id: true, userId: true, state: true, startedAt: true, gradedAt: true, submittedAt: true, score: true, maxScore: true, passed: true },
    });
    for (const r of rows) {
      const live = isLiveAttempt(r.state);
      out.get(r.userId)!.push({
        id: r.id,
        startedAt: r.startedAt,
        endedAt: live ? null : (r.gradedAt ?? r.submittedAt ?? r.startedAt),
        live,
        scorePercent: live ? null : percent(r.score, r.maxScore),
        passed: r.passed === true,
      });
    }
  }
  return out;
}
