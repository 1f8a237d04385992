import { logger } from "@/lib/logger";
import { onShutdown } from "@/lib/server/shutdown";
import { expireIdleLabs } from "./expire-idle-labs";
import { isClusterInUse } from "./is-cluster-in-use";
import type { LabDeps } from "./lab-deps";
import { reattachLabs } from "./reattach-labs";
import { startWarmLabPool } from "./start-warm-lab-pool";

/**
 * Called once by server.ts at start-up: live labs get their clusters back, idle ones are expired
 * (now and every `sweepMs`), and the selected driver's own housekeeping (kind's GC and warm pool)
 * starts, told which clusters live labs and the lab pool (start-warm-lab-pool.ts) still use.
 * Never throws: a lab problem must not stop the server.
 */
export async function startLabHousekeeping(deps: LabDeps, opts: { sweepMs?: number } = {}): Promise<void> {
  const log = logger.child({ component: "labs" });
  const stop = new AbortController();
  onShutdown("lab housekeeping", () => stop.abort());
  try {
    const r = await reattachLabs(deps);
    if (r.attached.length + r.lost.length + r.interrupted.length > 0) log.info(r, "labs after restart");
  } catch (err) {
    log.error({ err }, "re-attaching labs failed");
  }
  const sweep = async () => {
    try {
      await expireIdleLabs(deps);
    } catch (err) {
      log.error({ err }, "expiring idle labs failed");
    }
  };
  await sweep();
  const timer = setInterval(() => void sweep(), opts.sweepMs ?? 60_000);
  timer.unref();
  stop.signal.addEventListener("abort", () => clearInterval(timer), { once: true });
  try {
    const driver = await deps.driver();
    // After re-attaching, so that a pool cluster a live lab took is not collected as the pool's leftover.
    const pool = await startWarmLabPool(deps).catch((err: unknown) => {
      log.error({ err }, "the lab pool did not start; labs start cold");
      return null;
    });
    if (driver.maintain) {
      driver
        .maintain({ isClusterInUse: async (name) => pool?.holds(name) === true || (await isClusterInUse(deps, name)), signal: stop.signal })
        .catch((err: unknown) => log.error({ err, driver: driver.name }, "driver housekeeping stopped"));
    }
  } catch (err) {
    log.warn({ err }, "no cluster driver is usable yet; labs will say why when started");
  }
}
