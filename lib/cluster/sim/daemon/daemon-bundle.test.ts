import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDaemonBundle } from "./daemon-bundle";

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "daemon-bundle-"));
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

describe("ensureDaemonBundle", () => {
  it("builds once for clusters created at the same time, and leaves no temp file", async () => {
    const paths = await Promise.all([1, 2, 3].map(() => ensureDaemonBundle({ repoRoot: process.cwd(), outDir })));
    expect(new Set(paths)).toEqual(new Set([path.join(outDir, "sim-daemon.mjs")]));
    expect(fs.readdirSync(outDir)).toEqual(["sim-daemon.mjs"]);
    const built = fs.statSync(paths[0]!).mtimeMs;
    // Up to date: a later call reuses it.
    await ensureDaemonBundle({ repoRoot: process.cwd(), outDir });
    expect(fs.statSync(paths[0]!).mtimeMs).toBe(built);
  }, 120_000);
});
