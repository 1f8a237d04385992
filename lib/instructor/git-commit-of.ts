import { execFile } from "node:child_process";

/** The commit checked out in `dir` (for a self-test record), or null outside a git checkout or without git. */
export function gitCommitOf(dir: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile("git", ["rev-parse", "HEAD"], { cwd: dir, timeout: 5_000 }, (err, stdout) => {
      const sha = String(stdout).trim();
      resolve(!err && /^[0-9a-f]{40}$/.test(sha) ? sha : null);
    });
  });
}
