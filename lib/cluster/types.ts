/**
 * The cluster seam (DESIGN.md, "Cluster drivers"). Drivers know nothing of scenarios,
 * sessions or the database; everything above talks to a cluster through these two interfaces.
 */
export type DriverName = "kind" | "sim" | "ssh";

export interface NodeRef {
  name: string;
  role: "control-plane" | "worker";
}

export interface ClusterSpec {
  name: string;
  workers: number;
  k8sVersion?: string;
}

export interface ExecOptions {
  stdin?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** What node-pty needs to spawn an interactive shell on a node. */
export interface ShellSpec {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

export interface Availability {
  ok: boolean;
  /** Short names of what is missing, e.g. ["docker", "kind"]. */
  missing: string[];
  /** One line per problem, saying what to do about it. */
  details?: string[];
}

export interface Cluster {
  name: string;
  driver: DriverName;
  nodes(): Promise<NodeRef[]>;
  /** A kubeconfig (YAML) for @kubernetes/client-node and kubectl on the server. */
  kubeconfig(): Promise<string>;
  /** Runs argv on a node. argv is never joined into a shell string. */
  exec(node: string, argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  shell(node: string): ShellSpec;
  destroy(): Promise<void>;
}

export interface ClusterDriver {
  name: DriverName;
  available(): Promise<Availability>;
  create(spec: ClusterSpec): Promise<Cluster>;
  /** Re-attaches to a cluster after a server restart; null if it is gone. */
  attach(name: string): Promise<Cluster | null>;
  /** Names of the clusters this driver owns (for garbage collection). */
  list(): Promise<string[]>;
}
