import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { scenarioSchema, type ScenarioPack } from "./define-scenario";

/** One entry of the explicit registry in scenarios/index.ts. */
export interface RegistryEntry {
  slug: string;
  /** The module's default export, as imported (unknown until validated). */
  pack: unknown;
}

export interface LoadedScenario {
  slug: string;
  pack: ScenarioPack;
  brief: string;
  solution: string;
}

export interface PackProblem {
  slug: string;
  file: string;
  field: string;
  message: string;
}

export interface LoadResult {
  scenarios: LoadedScenario[];
  problems: PackProblem[];
}

/** "scenarios/etcd-crashloop/scenario.ts → checks.0.points: expected number" */
export function formatProblem(p: PackProblem): string {
  return `${p.file} → ${p.field}: ${p.message}`;
}

function fieldOf(issuePath: PropertyKey[]): string {
  return issuePath.length ? issuePath.map(String).join(".") : "(pack)";
}

function zodProblems(slug: string, file: string, error: z.ZodError): PackProblem[] {
  return error.issues.map((i) => ({ slug, file, field: fieldOf(i.path), message: i.message }));
}

function readMarkdown(dir: string, slug: string, name: string, problems: PackProblem[]): string {
  const file = path.join(dir, slug, name);
  try {
    const text = fs.readFileSync(file, "utf8");
    if (!text.trim()) problems.push({ slug, file: `scenarios/${slug}/${name}`, field: "(file)", message: "is empty" });
    return text;
  } catch {
    problems.push({ slug, file: `scenarios/${slug}/${name}`, field: "(file)", message: "is missing" });
    return "";
  }
}

/**
 * Validates every registry entry. Broken packs are left out and reported; they never throw.
 * `scenariosDir` holds the packs' folders (brief.md and solution.md are read from there).
 */
export function loadScenarios(entries: RegistryEntry[], scenariosDir: string): LoadResult {
  const scenarios: LoadedScenario[] = [];
  const problems: PackProblem[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const file = `scenarios/${entry.slug}/scenario.ts`;
    const own: PackProblem[] = [];
    const parsed = scenarioSchema.safeParse(entry.pack);
    if (!parsed.success) {
      own.push(...zodProblems(entry.slug, file, parsed.error));
    } else {
      if (parsed.data.id !== entry.slug)
        own.push({ slug: entry.slug, file, field: "id", message: `must equal the folder name "${entry.slug}"` });
      if (seen.has(entry.slug)) own.push({ slug: entry.slug, file, field: "id", message: "is registered twice" });
    }
    const brief = readMarkdown(scenariosDir, entry.slug, "brief.md", own);
    const solution = readMarkdown(scenariosDir, entry.slug, "solution.md", own);
    seen.add(entry.slug);
    if (own.length || !parsed.success) {
      problems.push(...own);
      continue;
    }
    // The schema checked the shape; the functions keep the types the pack declared.
    scenarios.push({ slug: entry.slug, pack: entry.pack as ScenarioPack, brief, solution });
  }
  return { scenarios, problems };
}
