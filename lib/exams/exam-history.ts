import { parseAttemptDetail } from "./exam-result";
import type { ExamDeps } from "./exam-deps";
import type { ExamScore } from "./score-exam";

/** How many of the latest graded attempts weak domains are drawn from. */
export const RECENT_ATTEMPTS = 5;
/** At most this many weak domains are named: a study list, not the whole table again. */
export const WEAK_DOMAINS_MAX = 3;

export interface GradedAttempt {
  id: string;
  mode: string;
  /** When it ended (submitted, or the timer ran out). */
  endedAt: Date;
  score: Pick<ExamScore, "weighted" | "passed" | "byDomain">;
}

export interface ExamHistory {
  /** Newest first, as a list is read. */
  attempts: { id: string; mode: string; endedAt: string; percent: number; passed: boolean }[];
  /** Weighted percent of each attempt, oldest first, as a trend is drawn. */
  trend: { percent: number; passed: boolean }[];
  /** Domains with the lowest share of their weight earned over the recent attempts, lowest first. */
  weakDomains: { domain: string; score: number; max: number; percent: number }[];
}

/**
 * A learner's history of one blueprint. A weak domain is judged on the recent attempts together
 * (points earned over points possible, summed), so a domain drawn once with a small weight does
 * not outweigh one failed every time; a domain fully earned is never called weak.
 */
export function summarizeExamHistory(graded: readonly GradedAttempt[], recent = RECENT_ATTEMPTS): ExamHistory {
  const oldestFirst = [...graded].sort((a, b) => a.endedAt.getTime() - b.endedAt.getTime());
  const sums = new Map<string, { score: number; max: number }>();
  for (const a of oldestFirst.slice(-recent)) {
    for (const d of a.score.byDomain) {
      const s = sums.get(d.domain) ?? { score: 0, max: 0 };
      sums.set(d.domain, { score: s.score + d.score, max: s.max + d.max });
    }
  }
  const weakDomains = [...sums]
    .filter(([, s]) => s.max > 0 && s.score < s.max)
    .map(([domain, s]) => ({ domain, score: round1(s.score), max: s.max, percent: round1((s.score / s.max) * 100) }))
    .sort((a, b) => a.percent - b.percent || a.domain.localeCompare(b.domain))
    .slice(0, WEAK_DOMAINS_MAX);
  return {
    attempts: [...oldestFirst].reverse().map((a) => ({
      id: a.id,
      mode: a.mode,
      endedAt: a.endedAt.toISOString(),
      percent: a.score.weighted.percent,
      passed: a.score.passed,
    })),
    trend: oldestFirst.map((a) => ({ percent: a.score.weighted.percent, passed: a.score.passed })),
    weakDomains,
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The learner's graded attempts of one blueprint (submitted or timed out; a cancelled one was never sat). */
export async function getExamHistory(deps: Pick<ExamDeps, "labs">, userId: string, examSlug: string): Promise<ExamHistory> {
  const rows = await deps.labs.db.examAttempt.findMany({
    where: { userId, exam: { slug: examSlug }, state: { in: ["submitted", "timed-out"] } },
    select: { id: true, mode: true, submittedAt: true, startedAt: true, detail: true },
  });
  const graded = rows.flatMap((r): GradedAttempt[] => {
    const score = parseAttemptDetail(r.detail).score;
    return score ? [{ id: r.id, mode: r.mode, endedAt: r.submittedAt ?? r.startedAt, score }] : [];
  });
  return summarizeExamHistory(graded);
}
