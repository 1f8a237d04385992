import type { z } from "zod";
import type { PackProblem } from "@/lib/scenarios/load-scenarios";
import { lessonSchema, type Lesson } from "./define-lesson";

/** One entry of the explicit registry in lessons/index.ts. */
export interface LessonRegistryEntry {
  slug: string;
  /** The module's default export, as imported (unknown until validated). */
  lesson: unknown;
}

export interface LoadedLesson {
  slug: string;
  lesson: Lesson;
}

export interface LessonLoadResult {
  lessons: LoadedLesson[];
  /** Same shape as a pack's problems, so formatProblem prints `file → field: message`. */
  problems: PackProblem[];
}

function fieldOf(issuePath: PropertyKey[]): string {
  return issuePath.length ? issuePath.map(String).join(".") : "(lesson)";
}

function zodProblems(slug: string, file: string, error: z.ZodError): PackProblem[] {
  return error.issues.flatMap((i) => {
    const path = i.path.map((k) => (typeof k === "number" ? k : String(k)));
    if (i.code === "unrecognized_keys")
      return i.keys.map((k) => ({
        slug,
        file,
        field: fieldOf([...path, k]),
        message: "is not a field the lesson schema knows (a typo? see docs/lessons.md for the fields)",
        path: [...path, k],
      }));
    return [{ slug, file, field: fieldOf(path), message: i.message, path }];
  });
}

/**
 * Validates every registry entry. A broken lesson is left out and reported, never thrown.
 * `takenIds` are ids already used by scenario packs: a lesson may not shadow one.
 *
 * @example
 * const { lessons, problems } = loadLessons(lessonRegistry, new Set(scenarioIds));
 * for (const p of problems) console.error(formatProblem(p));
 */
export function loadLessons(entries: LessonRegistryEntry[], takenIds: ReadonlySet<string> = new Set()): LessonLoadResult {
  const lessons: LoadedLesson[] = [];
  const problems: PackProblem[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const file = `lessons/${entry.slug}/lesson.ts`;
    const parsed = lessonSchema.safeParse(entry.lesson);
    const own: PackProblem[] = parsed.success ? [] : zodProblems(entry.slug, file, parsed.error);
    if (parsed.success) {
      if (parsed.data.id !== entry.slug) own.push({ slug: entry.slug, file, field: "id", message: `must equal the folder name "${entry.slug}"` });
      if (seen.has(entry.slug)) own.push({ slug: entry.slug, file, field: "id", message: "is registered twice" });
      if (takenIds.has(entry.slug)) own.push({ slug: entry.slug, file, field: "id", message: "is already a scenario pack's id" });
    }
    seen.add(entry.slug);
    if (own.length || !parsed.success) {
      problems.push(...own);
      continue;
    }
    // The schema checked the shape; the functions keep the types the lesson declared.
    lessons.push({ slug: entry.slug, lesson: entry.lesson as Lesson });
  }
  return { lessons, problems };
}
