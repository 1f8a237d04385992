import type { Difficulty, Domain } from "@/lib/scenarios/define-scenario";
import type { BlueprintTask, ExamBlueprint } from "./define-exam";
import { seededRandom } from "./seeded-random";

/** What a blueprint needs to know of an installed pack. */
export interface PoolPack {
  slug: string;
  domain: Domain;
  difficulty: Difficulty;
  variants: string[];
}

export interface DrawnTask {
  position: number;
  scenarioId: string;
  variantId: string;
  weight: number;
}

/** Whether a pack is in a draw's pool. */
export function inDrawPool(pack: PoolPack, draw: NonNullable<BlueprintTask["draw"]>): boolean {
  return (draw.domain === undefined || pack.domain === draw.domain) && (draw.difficulty === undefined || pack.difficulty === draw.difficulty);
}

/**
 * The tasks of one attempt, in blueprint order. Named packs come first in the pool accounting (a
 * draw never repeats a pack listed by name or drawn before), then each draw picks from the
 * remaining matching packs. Everything random comes from `seed`, and pools are sorted by slug,
 * so the same seed over the same packs always gives the same tasks and variants.
 * Throws when a pool is too small; load-exams.ts reports that before an attempt can start.
 */
export function drawTasks(blueprint: Pick<ExamBlueprint, "tasks">, packs: readonly PoolPack[], seed: string): DrawnTask[] {
  const rng = seededRandom(seed);
  const bySlug = new Map(packs.map((p) => [p.slug, p]));
  const used = new Set(blueprint.tasks.flatMap((t) => (t.scenario ? [t.scenario] : [])));
  const sorted = [...packs].sort((a, b) => a.slug.localeCompare(b.slug));
  const out: DrawnTask[] = [];
  const variantOf = (pack: PoolPack) => pack.variants[rng.int(pack.variants.length)]!;
  for (const t of blueprint.tasks) {
    if (t.scenario !== undefined) {
      const pack = bySlug.get(t.scenario);
      if (!pack) throw new Error(`the pack "${t.scenario}" is not installed`);
      out.push({ position: out.length, scenarioId: pack.slug, variantId: t.variant ?? variantOf(pack), weight: t.weight });
      continue;
    }
    const draw = t.draw!;
    const pool = sorted.filter((p) => !used.has(p.slug) && inDrawPool(p, draw));
    if (pool.length < draw.count) throw new Error(`a draw needs ${draw.count} pack(s) but only ${pool.length} remain`);
    for (let i = 0; i < draw.count; i++) {
      const pack = pool.splice(rng.int(pool.length), 1)[0]!;
      used.add(pack.slug);
      out.push({ position: out.length, scenarioId: pack.slug, variantId: variantOf(pack), weight: t.weight });
    }
  }
  return out;
}
