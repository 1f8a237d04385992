import type { SimClock } from "@/lib/cluster/sim/clock";
import type { SimKubelet } from "@/lib/cluster/sim/kubelet/kubelet-seams";
import type { NodeLayout } from "../node-layout";
import type { SimNodeSpec } from "../node-spec";
import type { NodeServices } from "./node-services";

/** What a node tool may see and do on its node. The node agent builds one per node. */
export interface NodeToolHost {
  node: SimNodeSpec;
  layout: NodeLayout;
  clock: SimClock;
  /** The node's kubelet model (containers, sandboxes, images, journal). */
  kubelet: SimKubelet;
  services: NodeServices;
  /** Listening sockets of the node's processes (for ss). */
  listeners(): Array<{ host: string; port: number; process: string; pid: number }>;
  /** The etcd serving on this node, if any. */
  etcd(): { clientUrls: string[]; trustedCaPem: string | null; serverCertPem: string | null; name: string; dbSizeBytes: number; revision: number } | null;
  /** Journal lines of a unit that the node side adds to the kubelet model's own (containerd's CNI errors, manifest errors). */
  extraJournal(unit: "kubelet" | "containerd"): string[];
  /** Whether a client using admin.conf gets through to the API (kubeadm's "reading configuration from the cluster"). */
  apiReachable(): boolean;
  /** CRI operations that change the runtime's records (crictl rm, stopp, rmp), when the kubelet offers them. */
  runtime?: {
    removeContainer(id: string): void;
    stopSandbox(id: string): void;
    removeSandbox(id: string): void;
  };
}

export interface ToolRequest {
  tool: string;
  argv: string[];
  env: Record<string, string>;
  /** The shell's working directory, as a node path (for relative file arguments). */
  cwd: string;
}

export interface ToolIo {
  out(text: string): void;
  err(text: string): void;
  /** Aborted when the client goes away (Ctrl-C on `-f`). */
  signal: AbortSignal;
}

export type NodeTool = (host: NodeToolHost, req: ToolRequest, io: ToolIo) => Promise<number> | number;

/** Resolves a file argument against the shell's cwd, as a node path. */
export function resolveNodePath(cwd: string, p: string): string {
  if (p.startsWith("/")) return p;
  const parts = `${cwd}/${p}`.split("/");
  const out: string[] = [];
  for (const part of parts) {
    if (!part || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}

/** Waits until the signal aborts (for -f followers). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
