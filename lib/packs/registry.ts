import path from "node:path";
import { registry } from "@/scenarios/index";
import { logger } from "@/lib/logger";
import { processSingleton } from "@/lib/process-singleton";
import { checkRequirements, type Applicability, type ClusterFacts } from "@/lib/scenarios/cluster-facts";
import type { Requirements } from "@/lib/scenarios/define-scenario";
import { formatProblem, loadScenarios, type LoadResult, type LoadedScenario } from "@/lib/scenarios/load-scenarios";

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
  /** What the pack needs from an existing cluster (ssh); see applicabilityOn. */
  requires?: Requirements;
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
    ...(pack.requires ? { requires: pack.requires } : {}),
  }));
}

/**
 * Whether a catalogue entry can run on a cluster with these facts (from clusterFacts()). A pack
 * that cannot is shown as "not applicable here" with the reason, never as failed.
 *
 * @example
 * const facts = await clusterFacts(cluster);
 * const rows = catalogue().map((e) => ({ ...e, fit: applicabilityOn(e, facts) }));
 */
export function applicabilityOn(entry: Pick<CatalogueEntry, "requires">, facts: ClusterFacts): Applicability {
  return checkRequirements(entry.requires, facts);
}
