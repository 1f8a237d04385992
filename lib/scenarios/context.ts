import type { AppsV1Api, BatchV1Api, CoreV1Api, CoordinationV1Api, KubeConfig } from "@kubernetes/client-node";
import type { ClusterClock, ExecOptions, ExecResult } from "@/lib/cluster/types";

/**
 * The scenario context: the only door from a pack to its cluster (DESIGN.md, "Scenario packs").
 * Packs import types from here and nothing else from lib/, so the same pack runs on every driver.
 */

export interface K8sApis {
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  coordination: CoordinationV1Api;
}

export interface NodeHandle {
  name: string;
  /** Runs argv on the node (never a shell string). */
  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Reads a file on the node. Throws if it does not exist. */
  readFile(path: string): Promise<string>;
  /** Writes a file on the node, atomically (temp file + mv). */
  writeFile(path: string, content: string): Promise<void>;
  /**
   * Reads, transforms and writes back a file atomically: the new content goes to a temp file
   * outside the file's directory (a watched manifests dir must never see a partial or stray
   * file), then `mv` replaces the original.
   */
  editFile(path: string, edit: (content: string) => string): Promise<void>;
}

export interface WaitOptions {
  timeoutMs: number;
  /** What is being waited for, for the error when the wait gives up. */
  what: string;
  intervalMs?: number;
}

export interface Probes {
  /**
   * A throwaway pod with `image` runs on `node` and gets an IP. Without `node` the scheduler
   * places it (on any node, the control plane included: it tolerates the control-plane taint).
   */
  podRuns(opts: { node?: string; image: string; timeoutMs?: number }): Promise<ProbeResult>;
  /** `name` resolves from inside the cluster. */
  dns(name: string, opts?: { image?: string; timeoutMs?: number }): Promise<ProbeResult>;
  /** An HTTP GET to service `svc` (`name.namespace`) on `port` answers. */
  http(svc: string, port: number, opts?: { image?: string; timeoutMs?: number }): Promise<ProbeResult>;
}

export interface ProbeResult {
  ok: boolean;
  detail: string;
}

export interface ScenarioContext {
  k8s: K8sApis;
  /** Runs the real kubectl against the lab's cluster. Never throws on a non-zero exit. */
  kubectl(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  node(name: string): NodeHandle;
  /** Name of the control-plane node. */
  controlPlane: string;
  /** Names of the worker nodes, in order. */
  workers: string[];
  /** `kubectl apply -f -` with this YAML; throws with kubectl's message on failure. */
  apply(yaml: string): Promise<void>;
  /** Polls fn until it returns a value other than undefined/false; throws naming `what` on timeout. */
  waitFor<T>(fn: () => Promise<T | undefined | false>, opts: WaitOptions): Promise<T>;
  probe: Probes;
  /**
   * The cluster's clock. Compare object timestamps (startedAt, lastTransitionTime) with
   * `clock.now()`, never with Date.now(): a self-test's sim runs faster than real time
   * (`timeScale` > 1), and hold windows are measured in cluster time. Certificates are the
   * exception: real clients judge them by the real clock.
   */
  clock: ClusterClock;
  signal: AbortSignal;
  log(message: string): void;
}

/** What a check reports. `message` is safe to show a learner: it never names the fault. */
export interface CheckResult {
  ok: boolean;
  message: string;
  detail?: { actual: string; expected: string };
}
