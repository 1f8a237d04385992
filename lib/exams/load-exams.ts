import type { z } from "zod";
import type { PackProblem } from "@/lib/scenarios/load-scenarios";
import { examSchema, type ExamBlueprint } from "./define-exam";
import { inDrawPool, type PoolPack } from "./draw-tasks";

/** One entry of the explicit registry in exams/index.ts. */
export interface ExamRegistryEntry {
  slug: string;
  /** The module's default export, as imported (unknown until validated). */
  blueprint: unknown;
}

export interface LoadedExam {
  slug: string;
  blueprint: ExamBlueprint;
  /** Tasks per attempt, once draws are expanded. */
  taskCount: number;
}

export interface ExamLoadResult {
  exams: LoadedExam[];
  /** Same shape as a pack's problems: "exams/x.ts → tasks.1.draw: ..." (formatProblem). */
  problems: PackProblem[];
}

function describeDraw(d: { domain?: string; difficulty?: string }): string {
  const parts = [d.domain && `domain ${d.domain}`, d.difficulty && `difficulty ${d.difficulty}`].filter(Boolean);
  return parts.length ? parts.join(", ") : "any pack";
}

/** What the installed packs cannot give this blueprint: unknown packs or variants, pools too small. */
function poolProblems(b: ExamBlueprint, packs: readonly PoolPack[], slug: string, file: string): PackProblem[] {
  const problems: PackProblem[] = [];
  const bySlug = new Map(packs.map((p) => [p.slug, p]));
  const named = new Set<string>();
  b.tasks.forEach((t, i) => {
    if (t.scenario === undefined) return;
    const pack = bySlug.get(t.scenario);
    if (!pack) {
      problems.push({ slug, file, field: `tasks.${i}.scenario`, message: `no installed pack is called "${t.scenario}"` });
    } else if (t.variant !== undefined && !pack.variants.includes(t.variant)) {
      problems.push({ slug, file, field: `tasks.${i}.variant`, message: `"${t.scenario}" has no variant "${t.variant}" (it has ${pack.variants.join(", ")})` });
    }
    if (named.has(t.scenario)) problems.push({ slug, file, field: `tasks.${i}.scenario`, message: `"${t.scenario}" is listed twice` });
    named.add(t.scenario);
  });
  // Draws run in order and never repeat a pack, so a draw also loses what earlier overlapping draws may take.
  const earlier: { pool: Set<string>; count: number }[] = [];
  b.tasks.forEach((t, i) => {
    if (!t.draw) return;
    const draw = t.draw;
    const pool = new Set(packs.filter((p) => !named.has(p.slug) && inDrawPool(p, draw)).map((p) => p.slug));
    const taken = earlier.filter((e) => [...e.pool].some((s) => pool.has(s))).reduce((n, e) => n + e.count, 0);
    if (pool.size < draw.count + taken) {
      problems.push({
        slug,
        file,
        field: `tasks.${i}.draw`,
        message:
          `needs ${draw.count + taken} pack(s) of ${describeDraw(draw)}` +
          (taken ? ` (${draw.count} here, up to ${taken} taken by earlier draws)` : "") +
          ` but ${pool.size} not named elsewhere in the blueprint are installed${pool.size ? ` (${[...pool].join(", ")})` : ""}; add packs or lower count`,
      });
    }
    earlier.push({ pool, count: draw.count });
  });
  return problems;
}

function zodProblems(slug: string, file: string, error: z.ZodError): PackProblem[] {
  return error.issues.map((i) => ({ slug, file, field: i.path.length ? i.path.map(String).join(".") : "(blueprint)", message: i.message }));
}

/**
 * Validates every blueprint against its schema and against the packs installed. Broken
 * blueprints are left out and reported; nothing here throws.
 */
export function loadExams(entries: readonly ExamRegistryEntry[], packs: readonly PoolPack[]): ExamLoadResult {
  const exams: LoadedExam[] = [];
  const problems: PackProblem[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const file = `exams/${entry.slug}.ts`;
    const parsed = examSchema.safeParse(entry.blueprint);
    if (!parsed.success) {
      problems.push(...zodProblems(entry.slug, file, parsed.error));
      continue;
    }
    const own: PackProblem[] = [];
    if (parsed.data.id !== entry.slug) own.push({ slug: entry.slug, file, field: "id", message: `must equal the file name "${entry.slug}"` });
    if (seen.has(entry.slug)) own.push({ slug: entry.slug, file, field: "id", message: "is registered twice" });
    seen.add(entry.slug);
    own.push(...poolProblems(parsed.data, packs, entry.slug, file));
    if (own.length) {
      problems.push(...own);
      continue;
    }
    exams.push({
      slug: entry.slug,
      blueprint: parsed.data,
      taskCount: parsed.data.tasks.reduce((n, t) => n + (t.draw?.count ?? 1), 0),
    });
  }
  return { exams, problems };
}
