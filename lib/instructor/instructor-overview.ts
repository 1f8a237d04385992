import { formatProblem } from "@/lib/scenarios/load-scenarios";
import type { InstructorDeps } from "./instructor-deps";
import { lastSelfTests, type DriverSelfTest } from "./last-self-tests";
import { learnerFilter, type Viewer } from "./learner-scope";

export interface PackOverview {
  slug: string;
  /** Null when the pack does not validate (its title is not to be trusted then). */
  title: string | null;
  domain: string | null;
  valid: boolean;
  /** The validator's messages ("file → field: message"), for an invalid pack. */
  problems: string[];
  selfTests: DriverSelfTest[];
  attempts: number;
  ended: number;
  passed: number;
  passRate: number | null;
}

export interface BlueprintOverview {
  slug: string;
  title: string | null;
  valid: boolean;
  problems: string[];
  /** Tasks per attempt, once draws are expanded (valid blueprints). */
  tasks: number | null;
  attempts: number;
}

const FINAL = new Set(["passed", "failed", "abandoned", "expired"]);

/**
 * The instructor's front page: every pack and exam blueprint installed, valid or not, with the
 * validator's verdict; for packs the last self-test per driver, and attempts and pass rate (of
 * the learners the viewer may see: lib/instructor/learner-scope.ts).
 */
export async function instructorOverview(deps: InstructorDeps, viewer: Viewer): Promise<{ packs: PackOverview[]; blueprints: BlueprintOverview[] }> {
  const scope = await learnerFilter(deps.db, viewer);
  const loaded = deps.scenarios();
  const valid = new Map(loaded.scenarios.map((s) => [s.slug, s]));
  const slugs = [...new Set([...loaded.scenarios.map((s) => s.slug), ...loaded.problems.map((p) => p.slug)])].sort();
  const [selfTests, counts, examRows] = await Promise.all([
    lastSelfTests(deps.db, loaded.scenarios.map((s) => ({ slug: s.slug, variants: s.pack.variants.map((v) => v.id) }))),
    deps.db.labSession.groupBy({ by: ["scenarioId", "state"], where: { readyAt: { not: null }, ...scope }, _count: { _all: true } }),
    deps.db.exam.findMany({ select: { slug: true, _count: { select: { attempts: { where: scope } } } } }),
  ]);
  const packs = slugs.map((slug): PackOverview => {
    const s = valid.get(slug);
    const mine = counts.filter((c) => c.scenarioId === slug);
    const sum = (pred: (state: string) => boolean) => mine.filter((c) => pred(c.state)).reduce((n, c) => n + c._count._all, 0);
    const ended = sum((st) => FINAL.has(st));
    const passed = sum((st) => st === "passed");
    return {
      slug,
      title: s?.pack.title ?? null,
      domain: s?.pack.domain ?? null,
      valid: Boolean(s),
      problems: loaded.problems.filter((p) => p.slug === slug).map(formatProblem),
      selfTests: selfTests.get(slug) ?? [],
      attempts: sum(() => true),
      ended,
      passed,
      passRate: ended ? passed / ended : null,
    };
  });
  const exams = deps.exams();
  const examAttempts = new Map(examRows.map((e) => [e.slug, e._count.attempts]));
  const validExams = new Map(exams.exams.map((e) => [e.slug, e]));
  const examSlugs = [...new Set([...exams.exams.map((e) => e.slug), ...exams.problems.map((p) => p.slug)])].sort();
  const blueprints = examSlugs.map((slug): BlueprintOverview => {
    const e = validExams.get(slug);
    return {
      slug,
      title: e?.blueprint.title ?? null,
      valid: Boolean(e),
      problems: exams.problems.filter((p) => p.slug === slug).map(formatProblem),
      tasks: e?.taskCount ?? null,
      attempts: examAttempts.get(slug) ?? 0,
    };
  });
  return { packs, blueprints };
}
