import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * A persistent cluster whose reset failed is left as it is, marked, and not given to any new
 * lab until an instructor has repaired it and cleared the mark
 * (`npm run ssh-cluster -- clear <cluster>`). The mark is a file under the data dir.
 */

const markSchema = z.object({
  cluster: z.string(),
  reason: z.string(),
  since: z.string(),
  /** What was running when the reset failed (scenario, variant, lab id), for the instructor. */
  context: z.record(z.string(), z.string()).default({}),
});

export type NeedsInstructorMark = z.infer<typeof markSchema>;

function markFile(stateDir: string, cluster: string): string {
  return path.join(stateDir, "needs-instructor", `${cluster}.json`);
}

export function markNeedsInstructor(
  stateDir: string,
  cluster: string,
  reason: string,
  context: Record<string, string> = {},
): NeedsInstructorMark {
  const mark: NeedsInstructorMark = { cluster, reason, since: new Date().toISOString(), context };
  const file = markFile(stateDir, cluster);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(mark, null, 2) + "\n", { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
  return mark;
}

/** The mark, or null. An unreadable mark still counts as a mark: the cluster stays blocked. */
export function readNeedsInstructor(stateDir: string, cluster: string): NeedsInstructorMark | null {
  let text: string;
  try {
    text = fs.readFileSync(markFile(stateDir, cluster), "utf8");
  } catch {
    return null;
  }
  try {
    const parsed = markSchema.safeParse(JSON.parse(text) as unknown);
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  return { cluster, reason: "unreadable mark file", since: "", context: {} };
}

export function clearNeedsInstructor(stateDir: string, cluster: string): boolean {
  const file = markFile(stateDir, cluster);
  const had = fs.existsSync(file);
  fs.rmSync(file, { force: true });
  return had;
}
