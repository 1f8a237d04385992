import type { RegistryProcess } from "../catalogue/distribution-registry";
import type { CatalogueImage } from "../catalogue/images";

/** What a container does once started, as the kubelet model plays it, and what it is planned from. */

export interface PlanStep {
  /** ms after start (or after the loop iteration start) */
  at: number;
  log?: string;
  touch?: string;
  rm?: string;
}

/** The cluster network as a container sees it (kubelet/pod-network.ts provides it). */
export interface NetView {
  dnsServer: string;
  resolve(host: string): { ok: true; ip: string; fqdn: string } | { ok: false; error: "nxdomain" | "no-dns"; fqdn: string };
  http(ip: string, port: number, path: string): { ok: true; status: number; body: string } | { ok: false; error: "refused" | "timeout" | "reset"; ip: string };
  tcp(ip: string, port: number): "open" | "refused" | "timeout";
}

export interface RunPlan {
  steps: PlanStep[];
  /** Repeats forever after `steps`; `period` ms per iteration. */
  loop?: { period: number; steps: PlanStep[] };
  exit?: { at: number; code: number; reason?: "OOMKilled" };
  /** runc could not start the process: container ends with reason StartError, exit code 128. */
  startError?: string;
  listens: number[];
  http?: "any" | string[];
  httpBody?: string;
  /** Web root for httpAnswer. */
  docRoot?: string;
  accessLog?: string;
  memoryBytes: number;
  onStop: { exitCode: number; logs: string[] };
  /** Paths that exist at start (mounted files), for `cat` and exec probes. */
  files: Record<string, string>;
  /** The process is a distribution registry server (pushes and pulls go through it). */
  registry?: RegistryProcess;
}

export interface PlanInput {
  image: CatalogueImage;
  command?: string[];
  args?: string[];
  env: Record<string, string>;
  /** Mounted files: path → content (ConfigMap and Secret volumes). */
  files: Record<string, string>;
  /** Mount points: a volume hides the image's own files under its path. */
  mountPaths?: string[];
  memoryLimitBytes?: number;
  podName: string;
  /** The container keeps stdin open (`stdin: true`): a shell without a script waits on it. */
  stdin?: boolean;
  /** Absent: network tools cannot reach anything (name resolution fails). */
  net?: NetView;
}
