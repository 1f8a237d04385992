import { z } from "zod";
import { NotFoundError } from "@/lib/errors";
import type { InstructorDeps } from "./instructor-deps";
import { lastSelfTests } from "./last-self-tests";
import { learnerFilter, type Viewer } from "./learner-scope";
import { loadAttempts, type AttemptRow } from "./load-attempts";
import { packAnalytics } from "./pack-analytics";
import { toCsv, type CsvValue } from "./to-csv";

/** `GET /api/instructor/export?table=packs|attempts[&pack=slug]` */
export const exportQuerySchema = z.strictObject({
  table: z.enum(["packs", "attempts"]),
  pack: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a pack's slug")
    .max(100)
    .optional(),
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;

export const PACK_COLUMNS = [
  "pack",
  "title",
  "valid",
  "attempts",
  "ended",
  "passed",
  "pass_rate",
  "median_time_to_pass_s",
  "most_failed_check",
  "most_failed_check_attempts",
  "suspect_checks",
  "hint_uses",
  "attempts_with_hints",
  "resets",
  "attempts_with_resets",
  "self_tests",
] as const;

export const ATTEMPT_COLUMNS = [
  "attempt_id",
  "pack",
  "variant",
  "learner",
  "learner_email",
  "driver",
  "state",
  "started_at",
  "ready_at",
  "ended_at",
  "duration_s",
  "score",
  "max_score",
  "check_runs",
  "last_check_all_passed",
  "last_check_failed",
  "hints_used",
  "hint_penalty",
  "resets",
  "exam_attempt_id",
] as const;

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000));
const ratio = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 1000);

function attemptLine(a: AttemptRow): CsvValue[] {
  const last = a.checkRuns.at(-1)?.results;
  return [
    a.id,
    a.scenarioId,
    a.variantId,
    a.user.name,
    a.user.email,
    a.driver,
    a.state,
    a.startedAt,
    a.readyAt,
    a.endedAt,
    seconds(a.readyAt && a.endedAt ? a.endedAt.getTime() - a.readyAt.getTime() : null),
    a.score,
    a.maxScore,
    a.checkRuns.length,
    last ? last.every((r) => r.ok) : null,
    last ? last.filter((r) => !r.ok).map((r) => r.id).join(";") : null,
    a.hintsUsed,
    a.hintPenalty,
    a.resetCount,
    a.examAttemptId,
  ];
}

/**
 * The instructor's CSV export: one line per pack with its analytics, or one per attempt; of one
 * pack with `pack`. An unknown pack is not found (an empty file would look like "no attempts").
 */
export async function exportCsv(deps: InstructorDeps, q: ExportQuery, viewer: Viewer): Promise<{ filename: string; body: string }> {
  const loaded = deps.scenarios();
  const known = new Set([...loaded.scenarios.map((s) => s.slug), ...loaded.problems.map((p) => p.slug)]);
  if (q.pack && !known.has(q.pack)) throw new NotFoundError(`There is no pack "${q.pack}".`);
  const day = deps.now().toISOString().slice(0, 10);
  const filename = `breakfix-${q.table}${q.pack ? `-${q.pack}` : ""}-${day}.csv`;
  const attempts = await loadAttempts(deps.db, { ...(q.pack ? { scenarioId: q.pack } : {}), ...(await learnerFilter(deps.db, viewer)) });
  if (q.table === "attempts") return { filename, body: toCsv(ATTEMPT_COLUMNS, attempts.map(attemptLine)) };

  const slugs = q.pack ? [q.pack] : [...known].sort();
  const valid = new Map(loaded.scenarios.map((s) => [s.slug, s.pack]));
  const selfTests = await lastSelfTests(
    deps.db,
    loaded.scenarios.filter((s) => slugs.includes(s.slug)).map((s) => ({ slug: s.slug, variants: s.pack.variants.map((v) => v.id) })),
  );
  const lines = slugs.map((slug): CsvValue[] => {
    const pack = valid.get(slug);
    const a = packAnalytics(
      attempts.filter((x) => x.scenarioId === slug),
      pack?.checks ?? [],
    );
    return [
      slug,
      pack?.title ?? null,
      Boolean(pack),
      a.attempts,
      a.ended,
      a.passed,
      ratio(a.passRate),
      seconds(a.medianTimeToPassMs),
      a.mostFailedCheck?.id ?? null,
      a.mostFailedCheck?.failedAttempts ?? null,
      a.checks.filter((c) => c.suspect).map((c) => c.id).join(";"),
      a.hintUses,
      a.attemptsWithHints,
      a.resets,
      a.attemptsWithResets,
      (selfTests.get(slug) ?? []).map((t) => `${t.driver}=${t.ok ? "pass" : "fail"}@${t.at.toISOString()}`).join(";"),
    ];
  });
  return { filename, body: toCsv(PACK_COLUMNS, lines) };
}
