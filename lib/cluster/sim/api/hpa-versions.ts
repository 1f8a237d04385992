import type { KubeObject } from "../store/types";

/**
 * autoscaling/v1 ↔ autoscaling/v2 HorizontalPodAutoscalers, as the apiserver converts them
 * (pkg/apis/autoscaling/v1/conversion.go). Storage keeps v2. v1 has only a CPU utilisation
 * target; what v1 cannot hold (conditions, other metrics, current metrics, behavior) travels in
 * the `autoscaling.alpha.kubernetes.io/*` annotations, so a v1 read-modify-write keeps it.
 */

type J = Record<string, unknown>;
const o = (v: unknown): J => (v && typeof v === "object" && !Array.isArray(v) ? (v as J) : {});
const list = (v: unknown): J[] => (Array.isArray(v) ? (v as unknown[]).map(o) : []);

const CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";
const METRICS = "autoscaling.alpha.kubernetes.io/metrics";
const CURRENT_METRICS = "autoscaling.alpha.kubernetes.io/current-metrics";
const BEHAVIOR = "autoscaling.alpha.kubernetes.io/behavior";

function isCpuUtilization(m: J): boolean {
  const r = o(m.resource);
  return m.type === "Resource" && r.name === "cpu" && o(r.target).type === "Utilization";
}

function isCpuCurrent(m: J): boolean {
  const r = o(m.resource);
  return m.type === "Resource" && r.name === "cpu" && o(r.current).averageUtilization !== undefined;
}

function parseJson(s: string | undefined): unknown {
  if (!s) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** The stored (v2) object as an autoscaling/v1 client reads it. Idempotent on v1 objects. */
export function hpaV2ToV1(hpa: KubeObject): KubeObject {
  if (hpa.apiVersion === "autoscaling/v1") return hpa;
  const spec = o(hpa.spec);
  const status = o(hpa.status);
  const metrics = list(spec.metrics);
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  const current = list(status.currentMetrics);
  const cpuNow = current.find(isCpuCurrent);
  const otherNow = current.filter((m) => m !== cpuNow);
  const annotations: Record<string, string> = { ...(hpa.metadata.annotations ?? {}) };
  if (others.length) annotations[METRICS] = JSON.stringify(others);
  if (otherNow.length) annotations[CURRENT_METRICS] = JSON.stringify(otherNow);
  if (list(status.conditions).length) annotations[CONDITIONS] = JSON.stringify(status.conditions);
  if (spec.behavior) annotations[BEHAVIOR] = JSON.stringify(spec.behavior);
  const outStatus: J = {};
  for (const k of ["observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"]) if (status[k] !== undefined) outStatus[k] = status[k];
  if (cpuNow) outStatus.currentCPUUtilizationPercentage = o(o(cpuNow.resource).current).averageUtilization;
  const outSpec: J = { scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas };
  if (cpu) outSpec.targetCPUUtilizationPercentage = o(o(cpu.resource).target).averageUtilization;
  const { annotations: _old, ...rest } = hpa.metadata;
  const metadata = Object.keys(annotations).length ? { ...rest, annotations } : rest;
  return { apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", metadata, spec: outSpec, status: outStatus };
}

/** An autoscaling/v1 object as storage keeps it (v2). Idempotent on v2 objects. */
export function hpaV1ToV2(hpa: KubeObject): KubeObject {
  if (hpa.apiVersion !== "autoscaling/v1") return hpa;
  const spec = o(hpa.spec);
  const status = o(hpa.status);
  const annotations: Record<string, string> = { ...(hpa.metadata.annotations ?? {}) };
  const take = (k: string) => {
    const v = parseJson(annotations[k]);
    delete annotations[k];
    return v;
  };
  const others = list(take(METRICS));
  const otherNow = list(take(CURRENT_METRICS));
  const conditions = take(CONDITIONS);
  const behavior = take(BEHAVIOR);
  const metrics: J[] = [];
  if (typeof spec.targetCPUUtilizationPercentage === "number") {
    metrics.push({ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  metrics.push(...others);
  const outSpec: J = { scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas };
  if (metrics.length) outSpec.metrics = metrics;
  if (behavior) outSpec.behavior = behavior;
  const outStatus: J = {};
  for (const k of ["observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"]) if (status[k] !== undefined) outStatus[k] = status[k];
  const current: J[] = [];
  if (typeof status.currentCPUUtilizationPercentage === "number") {
    current.push({ type: "Resource", resource: { name: "cpu", current: { averageUtilization: status.currentCPUUtilizationPercentage } } });
  }
  current.push(...otherNow);
  if (current.length) outStatus.currentMetrics = current;
  if (Array.isArray(conditions)) outStatus.conditions = conditions;
  const { annotations: _old, ...rest } = hpa.metadata;
  const metadata = Object.keys(annotations).length ? { ...rest, annotations } : rest;
  return { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata, spec: outSpec, status: outStatus };
}
