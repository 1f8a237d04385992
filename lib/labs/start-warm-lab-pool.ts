import path from "node:path";
import { getConfig } from "@/lib/config";
import type { ScenarioPack } from "@/lib/scenarios/define-scenario";
import { getScenarios } from "@/lib/packs/registry";
import { onShutdown } from "@/lib/server/shutdown";
import { activeLabPool, setActiveLabPool } from "./active-lab-pool";
import { isClusterInUse } from "./is-cluster-in-use";
import type { LabDeps } from "./lab-deps";
import { WarmLabPool, type WarmLabPoolOptions } from "./warm-lab-pool";

export interface StartWarmLabPoolOptions extends Partial<Omit<WarmLabPoolOptions, "deps" | "driver">> {
  packs?: ScenarioPack[];
}

/**
 * Starts the process's lab pool for the driver new labs use, sized by BREAKFIX_LAB_POOL_SIZE
 * (per driver default in lib/config.ts); drained when the server stops. Null when the size is 0.
 */
export async function startWarmLabPool(deps: LabDeps, opts: StartWarmLabPoolOptions = {}): Promise<WarmLabPool | null> {
  const running = activeLabPool();
  if (running) return running;
  const driver = await deps.driver();
  const config = getConfig();
  const size = opts.size ?? config.labPoolSize[driver.name];
  if (size === 0) return null;
  const pool = new WarmLabPool({
    ...opts,
    deps,
    driver,
    size,
    packs: opts.packs ?? getScenarios().scenarios.map((s) => s.pack),
    stateFile: opts.stateFile ?? path.join(config.dataDir, `lab-pool-${driver.name}.json`),
  });
  setActiveLabPool(pool);
  onShutdown("lab pool", async () => {
    setActiveLabPool(null);
    await pool.drain();
  });
  await pool.start((name) => isClusterInUse(deps, name));
  return pool;
}
