import type { PrismaClient } from "@/lib/generated/prisma/client";
import { parseCheckResults } from "@/lib/labs/parse-check-results";
import type { AttemptFacts } from "./pack-analytics";

/** An attempt as the instructor pages list it: the analytics' facts plus who, which variant and how it scored. */
export interface AttemptRow extends AttemptFacts {
  scenarioId: string;
  variantId: string;
  driver: string;
  user: { id: string; name: string; email: string | null };
  score: number;
  maxScore: number;
  hintPenalty: number;
  examAttemptId: string | null;
}

/**
 * Every lab session that reached ready (an attempt), newest first, with its check runs (oldest
 * first, results parsed with zod), hints and resets; of one pack when `scenarioId` is given, of
 * some learners when `userId` is (learnerFilter).
 */
export async function loadAttempts(prisma: PrismaClient, where: { scenarioId?: string; userId?: { in: string[] } } = {}): Promise<AttemptRow[]> {
  const sessions = await prisma.labSession.findMany({
    where: { readyAt: { not: null }, ...(where.scenarioId ? { scenarioId: where.scenarioId } : {}), ...(where.userId ? { userId: where.userId } : {}) },
    orderBy: { startedAt: "desc" },
    include: {
      user: { select: { id: true, name: true, email: true } },
      checkRuns: { orderBy: { createdAt: "asc" }, select: { results: true } },
      hintUses: { select: { cost: true } },
    },
  });
  return sessions.map((s) => ({
    id: s.id,
    scenarioId: s.scenarioId,
    variantId: s.variantId,
    driver: s.driver,
    state: s.state,
    startedAt: s.startedAt,
    readyAt: s.readyAt,
    endedAt: s.endedAt,
    resetCount: s.resetCount,
    hintsUsed: s.hintUses.length,
    hintPenalty: s.hintUses.reduce((n, h) => n + h.cost, 0),
    checkRuns: s.checkRuns.map((r) => ({ results: parseCheckResults(r.results) })),
    user: s.user,
    score: s.score,
    maxScore: s.maxScore,
    examAttemptId: s.examAttemptId,
  }));
}
