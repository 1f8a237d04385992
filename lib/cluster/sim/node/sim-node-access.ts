import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NotFoundError, UnavailableError } from "@/lib/errors";
import type { ExecOptions, ExecResult, NodeRef, ShellSpec } from "@/lib/cluster/types";
import { nodeRootDir } from "./node-layout";
import { execInNode, nodeShellSpec, type SandboxPaths } from "./node-sandbox";

/**
 * Where a cluster's node-side files live, computed from its directory alone, so any process
 * (the cluster daemon, the web server, the CLI) can open node shells while the daemon serves
 * the node agent on the socket.
 */
export function sandboxPathsFor(clusterDir: string): Omit<SandboxPaths, "root"> {
  // A unix socket path must stay under ~108 bytes; deep data dirs fall back to a hashed name in tmp.
  const socket = (file: string, suffix: string) => {
    const inDir = path.join(clusterDir, file);
    return inDir.length < 100 ? inDir : path.join(os.tmpdir(), `breakfix-${createHash("sha1").update(clusterDir).digest("hex").slice(0, 12)}${suffix}.sock`);
  };
  return {
    toolsDir: path.join(clusterDir, "node-tools", "bin"),
    clientJs: path.join(clusterDir, "node-tools", "node-tool.cjs"),
    forwarderJs: path.join(clusterDir, "node-tools", "api-forwarder.cjs"),
    agentSocket: socket("node-agent.sock", ""),
    apiBridgeSocket: socket("api-bridge.sock", "-api"),
  };
}

/** exec and shell on the nodes of the sim cluster in `clusterDir` (for the driver's Cluster handle). */
export function simNodeAccess(clusterDir: string, nodes: NodeRef[]) {
  const paths = sandboxPathsFor(clusterDir);
  const find = (name: string): NodeRef => {
    const n = nodes.find((x) => x.name === name);
    if (!n) throw new NotFoundError(`No node named "${name}" in this sim cluster.`, { hint: `Nodes: ${nodes.map((x) => x.name).join(", ")}` });
    const root = nodeRootDir(clusterDir, name);
    if (!fs.existsSync(path.join(root, "etc"))) {
      throw new UnavailableError(`Node "${name}" has no filesystem yet.`, { hint: "The cluster is still starting, or was created before node filesystems existed; recreate it." });
    }
    return n;
  };
  return {
    exec(node: string, argv: string[], opts?: ExecOptions): Promise<ExecResult> {
      const n = find(node);
      return execInNode(n, { ...paths, root: nodeRootDir(clusterDir, node) }, argv, opts);
    },
    shell(node: string): ShellSpec {
      const n = find(node);
      return nodeShellSpec(n, { ...paths, root: nodeRootDir(clusterDir, node) });
    },
  };
}
