import { examRegistry } from "@/exams/index";
import { logger } from "@/lib/logger";
import { getScenarios } from "@/lib/packs/registry";
import { processSingleton } from "@/lib/process-singleton";
import { formatProblem } from "@/lib/scenarios/load-scenarios";
import type { PoolPack } from "./draw-tasks";
import { loadExams, type ExamLoadResult, type LoadedExam } from "./load-exams";

/** The installed packs as a blueprint sees them. */
export function installedPool(): PoolPack[] {
  return getScenarios().scenarios.map(({ slug, pack }) => ({
    slug,
    domain: pack.domain,
    difficulty: pack.difficulty,
    variants: pack.variants.map((v) => v.id),
  }));
}

/** The valid blueprints, loaded once per process. Problems are logged, never thrown. */
export function getExams(): ExamLoadResult {
  return processSingleton("exams", () => {
    const result = loadExams(examRegistry, installedPool());
    for (const p of result.problems) logger.error({ exam: p.slug }, `exam blueprint skipped: ${formatProblem(p)}`);
    return result;
  });
}

export function findExam(slug: string): LoadedExam | undefined {
  return getExams().exams.find((e) => e.slug === slug);
}
