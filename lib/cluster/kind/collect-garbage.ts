import type { Logger } from "@/lib/logger";

export interface GarbageCollectionDeps {
  /** The driver's clusters (all breakfix-*). */
  list(): Promise<string[]>;
  /** Held by this process: warm pool, being created, or handed out moments ago. */
  isProtected(name: string): boolean;
  /** Injected from the lab layer: true when a live lab session uses the cluster. */
  isClusterInUse(name: string): Promise<boolean>;
  destroy(name: string): Promise<void>;
  log: Logger;
}

export interface GarbageCollectionReport {
  deleted: string[];
  kept: string[];
  failed: { name: string; error: string }[];
}

/**
 * Deletes breakfix- clusters that no live lab session uses and that this process is not holding.
 * When the in-use check itself fails, the cluster is kept: deleting a learner's lab is worse than
 * leaking one until the next pass.
 */
export async function collectGarbage(deps: GarbageCollectionDeps): Promise<GarbageCollectionReport> {
  const report: GarbageCollectionReport = { deleted: [], kept: [], failed: [] };
  for (const name of await deps.list()) {
    if (deps.isProtected(name)) {
      report.kept.push(name);
      continue;
    }
    let inUse: boolean;
    try {
      inUse = await deps.isClusterInUse(name);
    } catch (err) {
      deps.log.warn({ err, cluster: name }, `gc: could not tell whether ${name} is in use; keeping it`);
      report.kept.push(name);
      continue;
    }
    if (inUse) {
      report.kept.push(name);
      continue;
    }
    try {
      await deps.destroy(name);
      deps.log.info({ cluster: name }, `gc: deleted ${name}: no live lab session uses it`);
      report.deleted.push(name);
    } catch (err) {
      report.failed.push({ name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return report;
}
