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
  /** Aborts a creation in progress (the driver then deletes what it left behind). */
  signal?: AbortSignal;
  /**
   * Simulated seconds per real second (sim only; kind and ssh run in real time and ignore it).
   * Self-tests use it so that back-offs, grace periods and hold windows pass faster.
   */
  timeScale?: number;
}

/** The cluster's own clock, for comparing with the timestamps its objects carry. */
export interface ClusterClock {
  /** 1 for real clusters; > 1 for a time-scaled sim. */
  timeScale: number;
  now(): Date;
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
  /**
   * Makes a pack's images available on every node without a registry (kind: `kind load
   * docker-image`). Optional: drivers that need nothing (sim) leave it out.
   */
  preloadImages?(images: string[], opts?: { signal?: AbortSignal }): Promise<ImagePreloadReport>;
  /** The cluster's clock when it is not real time (a time-scaled sim); absent means real time. */
  clock?: ClusterClock;
  /**
   * true for a cluster that outlives labs (ssh: a trainer's machines): it is reused, and reset
   * between labs rather than recreated, so it implements PersistentClusterCapability. Absent on
   * throwaway clusters (kind, sim), which destroy() really removes.
   */
  persistent?: boolean;
}

/** Why a persistent cluster is kept away from new labs until an instructor has repaired it. */
export interface NeedsInstructorMark {
  cluster: string;
  reason: string;
  /** ISO time the mark was set ("" when unknown). */
  since: string;
  /** What was running when the reset failed (scenario, variant, lab id), for the instructor. */
  context: Record<string, string>;
}

/**
 * What a persistent cluster's API held before a lab's setup, so that releasing it can delete
 * what the lab added. Objects are keyed "resource/namespace/name" ("resource//name" when
 * cluster-scoped), by name only: an object of the cluster's own that a lab deleted and created
 * again is still the cluster's.
 */
export interface ClusterBaseline {
  /** ISO time the baseline was taken. */
  takenAt: string;
  namespaces: string[];
  objects: string[];
}

/**
 * What a persistent cluster offers the lab layer, which owns the reset policy (the pack's solve(),
 * then every check, then deleting what the lab created): the cluster only remembers whether a
 * reset failed, and the baseline it had before the current lab. While it is marked, its driver
 * gives it to no new lab; destroy() still only gives it back.
 */
export interface PersistentClusterCapability {
  persistent: true;
  needsInstructor(): NeedsInstructorMark | null;
  markNeedsInstructor(reason: string, context?: Record<string, string>): NeedsInstructorMark;
  /** The baseline recorded before the current (or an unfinished earlier) lab's setup, or null. */
  baseline(): ClusterBaseline | null;
  /** Records the baseline; kept across server restarts until clearBaseline(). */
  saveBaseline(baseline: ClusterBaseline): void;
  clearBaseline(): void;
}

export type PersistentCluster = Cluster & PersistentClusterCapability;

export function isPersistentCluster(c: Cluster): c is PersistentCluster {
  return c.persistent === true;
}

export interface ImagePreloadReport {
  loaded: string[];
  /** Images that could not be made available, each with what to do about it. */
  missing: { image: string; reason: string }[];
}

/** What a driver's housekeeping needs from above, injected so lib/cluster stays free of sessions and the DB. */
export interface MaintenanceHooks {
  /** True when a live lab session uses the cluster; such clusters are never collected. */
  isClusterInUse(name: string): Promise<boolean>;
  signal?: AbortSignal;
}

export interface ClusterDriver {
  name: DriverName;
  /** What the UI calls this driver's clusters ("Simulated cluster"): said plainly to learners. */
  label: string;
  available(): Promise<Availability>;
  create(spec: ClusterSpec): Promise<Cluster>;
  /** Re-attaches to a cluster after a server restart; null if it is gone. */
  attach(name: string): Promise<Cluster | null>;
  /** Names of the clusters this driver owns (for garbage collection). */
  list(): Promise<string[]>;
  /** Extra lines for `npm run cluster -- status` (e.g. the kind warm pool). Optional. */
  status?(): Promise<string[]>;
  /**
   * Starts background housekeeping (garbage collection of orphaned clusters, a warm pool) until
   * hooks.signal aborts. Optional; the server calls it once at start-up when present.
   */
  maintain?(hooks: MaintenanceHooks): Promise<void>;
}
