import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { ConflictError, TimeoutError } from "@/lib/errors";

/**
 * One lab per persistent cluster. A lease is a small JSON file created atomically (written to a
 * temp file, then hard-linked into place, which fails if a lease exists), so two processes (the
 * server and a `scenario:test` run) cannot both take it. Leases outlive the process on purpose:
 * a lab session survives a server restart, and the lab layer releases the lease when the
 * session ends (after resetting the cluster).
 */

const leaseSchema = z.object({
  cluster: z.string(),
  holder: z.string(),
  since: z.string(),
  pid: z.number().int(),
  host: z.string(),
});

export type ClusterLease = z.infer<typeof leaseSchema>;

function leaseFile(stateDir: string, cluster: string): string {
  return path.join(stateDir, "leases", `${cluster}.json`);
}

/** The current lease, or null. An unreadable lease file counts as held by "unknown". */
export function readClusterLease(stateDir: string, cluster: string): ClusterLease | null {
  let text: string;
  try {
    text = fs.readFileSync(leaseFile(stateDir, cluster), "utf8");
  } catch {
    return null;
  }
  try {
    const parsed = leaseSchema.safeParse(JSON.parse(text) as unknown);
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: a damaged lease still blocks the cluster rather than freeing it
  }
  return { cluster, holder: "unknown (unreadable lease file)", since: "", pid: 0, host: "" };
}

function tryAcquire(stateDir: string, cluster: string, holder: string): ClusterLease | null {
  const file = leaseFile(stateDir, cluster);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const lease: ClusterLease = { cluster, holder, since: new Date().toISOString(), pid: process.pid, host: os.hostname() };
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(lease) + "\n", { mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
    return lease;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return null;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function busyError(stateDir: string, cluster: string, current: ClusterLease | null): ConflictError {
  const who = current ? `${current.holder} (since ${current.since || "?"}, pid ${current.pid} on ${current.host || "?"})` : "another lab";
  return new ConflictError(`Cluster ${cluster} is in use by ${who}; a cluster runs one lab at a time.`, {
    hint: `Wait for that lab to end. If it is gone, reset the cluster and release it: npm run ssh-cluster -- release ${cluster}`,
  });
}

export interface AcquireOptions {
  /** How long to wait for a busy cluster; 0 fails at once. */
  waitMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * Takes the cluster for `holder` (a lab session id, or a test run). Taking it again with the
 * same holder succeeds (re-attach after a restart). Busy: waits up to waitMs, then ConflictError
 * (waitMs 0) or TimeoutError naming the holder.
 */
export async function acquireClusterLease(
  stateDir: string,
  cluster: string,
  holder: string,
  opts: AcquireOptions = {},
): Promise<ClusterLease> {
  const deadline = Date.now() + (opts.waitMs ?? 0);
  for (;;) {
    const got = tryAcquire(stateDir, cluster, holder);
    if (got) return got;
    const current = readClusterLease(stateDir, cluster);
    if (current?.holder === holder) return current;
    if (Date.now() >= deadline || opts.signal?.aborted) {
      if (!opts.waitMs) throw busyError(stateDir, cluster, current);
      throw new TimeoutError(`Waited ${opts.waitMs} ms for cluster ${cluster} to be free; it is still in use by ${current?.holder ?? "another lab"}.`);
    }
    await new Promise((r) => setTimeout(r, Math.min(opts.pollMs ?? 500, Math.max(1, deadline - Date.now()))));
  }
}

/**
 * Releases the lease. With `holder`, only that holder's lease is released (false otherwise);
 * without, any lease is dropped (the instructor's `release` command, or Cluster.destroy()).
 */
export function releaseClusterLease(stateDir: string, cluster: string, holder?: string): boolean {
  const current = readClusterLease(stateDir, cluster);
  if (!current) return false;
  if (holder !== undefined && current.holder !== holder) return false;
  fs.rmSync(leaseFile(stateDir, cluster), { force: true });
  return true;
}
