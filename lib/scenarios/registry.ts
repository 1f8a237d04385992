import path from "node:path";
import { registry } from "@/scenarios/index";
import { logger } from "@/lib/logger";
import { processSingleton } from "@/lib/process-singleton";
import { formatProblem, loadScenarios, type LoadResult, type LoadedScenario } from "./load-scenarios";

export const SCENARIOS_DIR = path.join(process.cwd(), "scenarios");

/** The validated packs, loaded once per process. Problems are logged, never thrown. */
export function getScenarios(): LoadResult {
  return processSingleton("scenarios", () => {
    const result = loadScenarios(registry, SCENARIOS_DIR);
    for (const p of result.problems) logger.error({ pack: p.slug }, `scenario pack skipped: ${formatProblem(p)}`);
    return result;
  });
}

export function findScenario(slug: string): LoadedScenario | undefined {
  return getScenarios().scenarios.find((s) => s.slug === slug);
}

/** What the catalogue shows; plain data, safe to send to the browser. */
export interface CatalogueEntry {
  slug: string;
  title: string;
  summary: string;
  domain: string;
  difficulty: string;
  minutes: number;
  variants: number;
}

export function catalogue(): CatalogueEntry[] {
  return getScenarios().scenarios.map(({ slug, pack }) => ({
    slug,
    title: pack.title,
    summary: pack.summary,
    domain: pack.domain,
    difficulty: pack.difficulty,
    minutes: pack.minutes,
    variants: pack.variants.length,
  }));
}
