import fs from "node:fs";
import path from "node:path";

/** The absolute path of `name` on PATH (like `command -v`), or null. */
export function findOnPath(name: string, searchPath = process.env.PATH ?? ""): string | null {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export interface ToolsRequirement {
  /** The suite that needs the tools, for the message (usually the test file's name). */
  suite: string;
  tools: string[];
  /** Where the tools come from, e.g. "apt-get install bubblewrap". */
  install?: string;
  /** CI mode; defaults to `CI=true` in the environment. */
  ci?: boolean;
  searchPath?: string;
}

/**
 * Why a suite that needs these tools must be skipped here, or null when they are all on PATH.
 * In CI a missing tool is not a reason to skip: a skipped suite would count as passed and hide
 * that CI forgot to install it, so this throws instead, naming the tool, and the file fails.
 *
 * @example
 * const skipReason = toolsSkipReason({ suite: "kubectl-compat.test.ts", tools: ["kubectl"] });
 * describe.skipIf(skipReason !== null)(`kubectl against the sim${skipReason ? ` (skipped: ${skipReason})` : ""}`, …);
 */
export function toolsSkipReason(req: ToolsRequirement): string | null {
  const missing = req.tools.filter((t) => !findOnPath(t, req.searchPath));
  if (!missing.length) return null;
  return unlessCi(req.suite, `${missing.join(", ")} not found on PATH${req.install ? ` (${req.install})` : ""}`, req.ci);
}

/**
 * Passes a suite's skip reason through outside CI (with a warning that says why), and throws in
 * CI, where everything a suite needs is installed by .ci/run and a skip would hide that it is not.
 */
export function unlessCi(suite: string, reason: string | null, ci = process.env.CI === "true"): string | null {
  if (reason === null) return null;
  if (ci) throw new Error(`${suite} needs ${reason}; in CI a missing tool fails the run instead of skipping the suite (.ci/run installs it).`);
  console.warn(`${suite} skipped: ${reason}`);
  return reason;
}
