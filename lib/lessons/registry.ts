import { lessonRegistry } from "@/lessons/index";
import { logger } from "@/lib/logger";
import { getScenarios } from "@/lib/packs/registry";
import { processSingleton } from "@/lib/process-singleton";
import { formatProblem, type LoadedScenario } from "@/lib/scenarios/load-scenarios";
import { lessonAsScenario } from "./lesson-as-scenario";
import { loadLessons, type LessonLoadResult, type LoadedLesson } from "./load-lessons";

/** The validated lessons, loaded once per process. Problems are logged, never thrown. */
export function getLessons(): LessonLoadResult {
  return processSingleton("lessons", () => {
    const taken = new Set(getScenarios().scenarios.map((s) => s.slug));
    const result = loadLessons(lessonRegistry, taken);
    for (const p of result.problems) logger.error({ lesson: p.slug }, `lesson skipped: ${formatProblem(p)}`);
    return result;
  });
}

export function findLesson(slug: string): LoadedLesson | undefined {
  return getLessons().lessons.find((l) => l.slug === slug);
}

/** A lesson as the lab layer sees it (a pack with one variant); see lessonAsScenario. */
export function findLessonAsScenario(slug: string): LoadedScenario | undefined {
  const l = findLesson(slug);
  return l ? processSingleton(`lesson-pack:${slug}`, () => lessonAsScenario(l)) : undefined;
}

/** What the catalogue's Lessons group shows; plain data, safe to send to the browser. */
export interface LessonCatalogueEntry {
  slug: string;
  title: string;
  summary: string;
  minutes: number;
  steps: number;
}

export function lessonCatalogue(): LessonCatalogueEntry[] {
  return getLessons().lessons.map(({ slug, lesson }) => ({ slug, title: lesson.title, summary: lesson.summary, minutes: lesson.minutes, steps: lesson.steps.length }));
}
