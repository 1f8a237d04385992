/**
 * What the kubelet knows about one pod it runs, beyond the API object: its sandboxes, the
 * runtime state of each container (records, back-off bookkeeping, probe counters, pending
 * timers), and its sync and termination progress. The kubelet's parts (pod sync, container
 * runtime, prober, pod status, static pods) all read and change this one object.
 */
import type { RunPlan } from "../container-shell/run-plan";
import type { CatalogueImage } from "../catalogue/images";
import type { Container, Pod } from "../controllers/api-types";
import type { ContainerRecord, SandboxRecord } from "./kubelet-seams";

/** An image in the node's image store (containerd's content store). */
export interface NodeImageRecord {
  ref: string;
  id: string;
  digest: string;
  size: number;
  image: CatalogueImage;
  /** Loaded with the node image (kind's preloaded images), not pulled from a registry. */
  preloaded: boolean;
}

export interface ProbeCounters {
  readyOk: number;
  readyFail: number;
  liveFail: number;
  startFail: number;
}

export interface ContainerRuntimeState {
  spec: Container;
  init: boolean;
  current?: ContainerRecord;
  /** The last dead container, kept for `kubectl logs --previous` (the kubelet's GC keeps one). */
  previous?: ContainerRecord;
  restartCount: number;
  /** Why the container waits (ErrImagePull, CrashLoopBackOff, …); shown in its status. */
  waiting?: { reason: string; message?: string };
  pulling: boolean;
  lastPullError?: string;
  lastPullFailAt?: number;
  plan?: RunPlan;
  files: Record<string, string>;
  env: Record<string, string>;
  ready: boolean;
  startupPassed: boolean;
  probe: ProbeCounters;
  /** Cancel functions of the container's pending SimClock timers (plan steps, probes, kill). */
  timers: (() => void)[];
  killing: boolean;
  /**
   * Who waits for the running container to stop (a pod being terminated). Called when it exits,
   * however it exits: a container that crashes during its grace period has stopped too.
   */
  stopWaiters: (() => void)[];
  image?: NodeImageRecord;
}

export interface PodRuntimeState {
  uid: string;
  pod: Pod;
  isStatic: boolean;
  /** The static pod's config hash (kubernetes.io/config.mirror on its mirror pod). */
  staticHash?: string;
  sandbox?: SandboxRecord;
  sandboxes: SandboxRecord[];
  /** Keyed by container name, init containers as `init:<name>`. */
  containers: Map<string, ContainerRuntimeState>;
  syncCancel?: () => void;
  syncAt?: number;
  terminating: boolean;
  /** Every container stopped after termination; the pod is no longer served (logs, exec). */
  gone: boolean;
  startTime?: string;
  /** The last status written, to skip writes that change nothing. */
  lastStatus?: string;
}

/** A fresh runtime state for a pod the kubelet starts to run. */
export function newPodRuntimeState(pod: Pod, uid: string, staticHash?: string): PodRuntimeState {
  return {
    uid,
    pod,
    isStatic: staticHash !== undefined,
    ...(staticHash !== undefined ? { staticHash } : {}),
    containers: new Map(),
    sandboxes: [],
    terminating: false,
    gone: false,
  };
}

export function containerKey(name: string, init: boolean): string {
  return `${init ? "init:" : ""}${name}`;
}

/** The container's runtime state, created (waiting, never started) on first use. */
export function containerStateOf(rt: PodRuntimeState, c: Container, init: boolean): ContainerRuntimeState {
  const key = containerKey(c.name, init);
  let st = rt.containers.get(key);
  if (!st) {
    st = {
      spec: c,
      init,
      restartCount: 0,
      pulling: false,
      files: {},
      env: {},
      ready: false,
      startupPassed: false,
      probe: { readyOk: 0, readyFail: 0, liveFail: 0, startFail: 0 },
      timers: [],
      killing: false,
      stopWaiters: [],
    };
    rt.containers.set(key, st);
  }
  return st;
}

export function clearContainerTimers(st: ContainerRuntimeState): void {
  for (const t of st.timers) t();
  st.timers = [];
}

/** The pod's name in the API: a static pod's runtime already carries its mirror name (`<name>-<node>`). */
export function mirrorPodName(rt: PodRuntimeState): string {
  return rt.pod.metadata.name;
}

export function isInitContainer(rt: PodRuntimeState, c: Container): boolean {
  return (rt.pod.spec.initContainers ?? []).some((x) => x.name === c.name);
}

/** kubelet terminationGracePeriodSeconds, in ms (30 s when unset). */
export function terminationGraceMs(rt: PodRuntimeState): number {
  return (rt.pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
}
