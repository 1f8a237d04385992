import path from "node:path";

/**
 * Where the ssh driver keeps its own state, under the data dir (lib/cluster never uses the
 * database): the host keys it trusts, per-cluster leases and "needs an instructor" marks.
 */
export function sshStateDir(dataDir: string): string {
  return path.join(dataDir, "ssh");
}

export function knownHostsFile(stateDir: string): string {
  return path.join(stateDir, "known_hosts");
}
