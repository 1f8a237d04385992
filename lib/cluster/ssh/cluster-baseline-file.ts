import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { ClusterBaseline } from "@/lib/cluster/types";

/**
 * A persistent cluster's baseline (what its API held before a lab's setup) is a file under the
 * driver's state dir, so a lab released after a server restart still knows what to delete.
 */

const baselineSchema = z.object({
  takenAt: z.string(),
  namespaces: z.array(z.string()),
  objects: z.array(z.string()),
});

function baselineFile(stateDir: string, cluster: string): string {
  return path.join(stateDir, "baselines", `${cluster}.json`);
}

export function saveClusterBaseline(stateDir: string, cluster: string, baseline: ClusterBaseline): void {
  const file = baselineFile(stateDir, cluster);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(baselineSchema.parse(baseline)) + "\n", { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * The baseline, or null when there is none. A damaged file also gives null: deleting objects
 * against a list that cannot be read could delete the cluster's own.
 */
export function readClusterBaseline(stateDir: string, cluster: string): ClusterBaseline | null {
  let text: string;
  try {
    text = fs.readFileSync(baselineFile(stateDir, cluster), "utf8");
  } catch {
    return null;
  }
  try {
    const parsed = baselineSchema.safeParse(JSON.parse(text) as unknown);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function clearClusterBaseline(stateDir: string, cluster: string): void {
  fs.rmSync(baselineFile(stateDir, cluster), { force: true });
}
