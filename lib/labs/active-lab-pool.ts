import type { DriverName } from "@/lib/cluster/types";
import { processSingleton } from "@/lib/process-singleton";
import type { WarmLab, WarmLabPool } from "./warm-lab-pool";

// server.ts starts the pool; route handlers (another module graph) start labs from it: one slot.
const slot = () => processSingleton<{ pool: WarmLabPool | null }>("warm-lab-pool", () => ({ pool: null }));

/** The process's lab pool, or null when none runs (size 0, or housekeeping not started: tests, scripts). */
export function activeLabPool(): WarmLabPool | null {
  return slot().pool;
}

export function setActiveLabPool(pool: WarmLabPool | null): void {
  slot().pool = pool;
}

/** A prepared lab of exactly this pack and variant from the running pool, or null (the lab then starts cold). */
export function takeWarmLab(driverName: DriverName, scenarioId: string, variantId: string): Promise<WarmLab | null> {
  return activeLabPool()?.take(driverName, scenarioId, variantId) ?? Promise.resolve(null);
}

/** A variant the pool has a prepared lab of, for a start that leaves the variant to chance. */
export function warmVariantFor(driverName: DriverName, scenarioId: string): string | undefined {
  return activeLabPool()?.readyVariant(driverName, scenarioId);
}
