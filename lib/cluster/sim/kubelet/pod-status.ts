/**
 * Pure rules the kubelet uses to turn container states into a PodStatus: the phase (kubelet's
 * getPhase), the conditions, and the QoS class.
 */
import type { ContainerStatus, Pod, PodCondition, PodSpec } from "../controllers/api-types";

/** kubelet getPhase: waiting containers keep the pod Pending; a restarting pod stays Running. */
export function podPhase(spec: PodSpec, statuses: ContainerStatus[], initialized: boolean, initFailed: boolean): "Pending" | "Running" | "Succeeded" | "Failed" {
  if (!initialized) return initFailed ? "Failed" : "Pending";
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of statuses) {
    if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state.waiting) {
      if (s.lastState.terminated) stopped++;
      else waiting++;
    }
  }
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped > 0) {
    const policy = spec.restartPolicy ?? "Always";
    if (policy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (policy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

/** Guaranteed / Burstable / BestEffort from requests and limits. */
export function qosClass(spec: PodSpec): "Guaranteed" | "Burstable" | "BestEffort" {
  const all = [...(spec.initContainers ?? []), ...spec.containers];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ["cpu", "memory"]) {
      const l = lim[r];
      const q = req[r] ?? l;
      if (!l || q !== l) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

/** The pod conditions the kubelet owns (kubetypes.PodConditionByKubelet, plus PodScheduled it carries over). */
const KUBELET_CONDITIONS = new Set(["PodScheduled", "Initialized", "Ready", "ContainersReady", "PodReadyToStartContainers"]);

/** Keeps lastTransitionTime when a condition's status did not change. */
export function mergeConditions(prev: PodCondition[] | undefined, next: PodCondition[], now: string): PodCondition[] {
  const own = next.map((c) => {
    const p = prev?.find((x) => x.type === c.type);
    const keep = p && p.status === c.status;
    return { ...c, lastProbeTime: null, lastTransitionTime: keep ? (p.lastTransitionTime ?? now) : now };
  });
  // Conditions others set (DisruptionTarget from an eviction, readiness gates) are kept, as the kubelet does.
  return [...own, ...(prev ?? []).filter((p) => !KUBELET_CONDITIONS.has(p.type) && !next.some((c) => c.type === p.type))];
}

export function podRef(p: Pod): string {
  return `${p.metadata.name}_${p.metadata.namespace}(${p.metadata.uid})`;
}
