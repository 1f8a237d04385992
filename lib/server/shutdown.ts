import { logger } from "@/lib/logger";
import { processSingleton } from "@/lib/process-singleton";

type Hook = { name: string; run: () => Promise<void> | void };

const hooks = () => processSingleton<Hook[]>("shutdown-hooks", () => []);

/**
 * Registers cleanup to run when the server stops (ptys, sim clusters, timers). Subsystems call
 * this when they first start, so nothing that was never started is torn down.
 */
export function onShutdown(name: string, run: Hook["run"]): void {
  hooks().push({ name, run });
}

/** Runs every hook, newest first, each bounded by timeoutMs; never throws. */
export async function runShutdownHooks(timeoutMs = 5000): Promise<void> {
  const list = hooks().splice(0).reverse();
  for (const h of list) {
    try {
      await Promise.race([
        Promise.resolve(h.run()),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref()),
      ]);
    } catch (err) {
      logger.error({ err, hook: h.name }, "shutdown hook failed");
    }
  }
}
