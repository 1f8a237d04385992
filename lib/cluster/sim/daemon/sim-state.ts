import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";

/**
 * The on-disk record of a running sim cluster: <dataDir>/sim/<name>/state.json, written by the
 * daemon once it serves, read by the driver to attach after a restart of the breakfix server.
 */
export const simStateSchema = z.object({
  name: z.string(),
  pid: z.number().int().positive(),
  port: z.number().int().positive(),
  workers: z.number().int().min(0),
  nodes: z.array(z.object({ name: z.string(), role: z.enum(["control-plane", "worker"]) })),
  kubeconfigPath: z.string(),
  controlSocket: z.string(),
  startedAt: z.string(),
  /** Served by the shared host process (many clusters in one process) rather than its own. */
  hosted: z.boolean().optional(),
  /** The cluster clock (SimClock): simulated ms per real ms, and the real ms where both agree. */
  timeScale: z.number().positive().optional(),
  clockStart: z.number().optional(),
});

export type SimState = z.infer<typeof simStateSchema>;

export function simRootDir(dataDir: string): string {
  return path.join(dataDir, "sim");
}

export function simClusterDir(dataDir: string, name: string): string {
  return path.join(simRootDir(dataDir), name);
}

export function readSimState(dir: string): SimState | null {
  try {
    const parsed = simStateSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, "state.json"), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Written atomically, so a reader never sees half a file. */
export function writeSimState(dir: string, state: SimState): void {
  const tmp = path.join(dir, `.state.json.${process.pid}`);
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, path.join(dir, "state.json"));
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The shared host's control socket (unix socket paths must stay short). */
export function simHostSocket(root: string): string {
  const p = path.join(root, "host.sock");
  return p.length < 100 ? p : path.join(os.tmpdir(), `breakfix-sim-host-${createHash("sha1").update(root).digest("hex").slice(0, 12)}.sock`);
}

const hostSchema = z.object({ pid: z.number().int().positive(), socket: z.string() });

/** The running shared host of `root`, if any. */
export function readSimHost(root: string): z.infer<typeof hostSchema> | null {
  try {
    const parsed = hostSchema.safeParse(JSON.parse(fs.readFileSync(path.join(root, "host.json"), "utf8")));
    return parsed.success && pidAlive(parsed.data.pid) ? parsed.data : null;
  } catch {
    return null;
  }
}
