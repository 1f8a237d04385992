import path from "node:path";

/**
 * A sim node's filesystem: one directory per node under the cluster's data directory, holding the
 * paths a kind node has. Only these subtrees belong to the node; everything else a shell sees
 * (/usr, /bin, …) is the host's, read-only. Paths are always given in the node's terms
 * ("/etc/kubernetes/pki/ca.crt") and mapped here, so nothing can escape the node's root.
 */
export const NODE_DIRS = ["/etc", "/var", "/root"] as const;

export class NodeLayout {
  constructor(readonly root: string) {}

  /** Host path of a node path. Throws for relative paths and for paths outside the node's tree. */
  host(nodePath: string): string {
    if (!nodePath.startsWith("/")) throw new Error(`node path must be absolute: ${nodePath}`);
    const norm = path.posix.normalize(nodePath);
    return path.join(this.root, norm);
  }

  /** Whether a node path lies in one of the node's own subtrees (as opposed to the host's /usr). */
  owns(nodePath: string): boolean {
    const norm = path.posix.normalize(nodePath);
    return NODE_DIRS.some((d) => norm === d || norm.startsWith(`${d}/`));
  }
}

/** Where a cluster's node trees live: <dataDir>/sim/<cluster>/nodes/<node>. */
export function nodeRootDir(clusterDir: string, node: string): string {
  return path.join(clusterDir, "nodes", node);
}
