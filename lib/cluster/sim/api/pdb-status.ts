/**
 * The PodDisruptionBudget status rules that both the disruption controller and the eviction
 * subresource apply (k8s.io/component-helpers/apps/poddisruptionbudget).
 */

export interface PdbCondition {
  type: string;
  status: "True" | "False";
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string;
}

export interface PdbStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: PdbCondition[];
}

/** meta.SetStatusCondition: the transition time moves only when the status changes. */
export function setCondition(conds: PdbCondition[], next: Omit<PdbCondition, "lastTransitionTime">, nowIso: string): PdbCondition[] {
  const cur = conds.find((c) => c.type === next.type);
  if (!cur) return [...conds, { ...next, lastTransitionTime: nowIso }];
  return conds.map((c) => (c === cur ? { ...next, lastTransitionTime: c.status === next.status ? c.lastTransitionTime : nowIso } : c));
}

/** UpdateDisruptionAllowedCondition: True/SufficientPods while a disruption is allowed, else False/InsufficientPods. */
export function withDisruptionAllowedCondition(status: PdbStatus, nowIso: string): PdbStatus {
  const allowed = status.disruptionsAllowed > 0;
  return {
    ...status,
    conditions: setCondition(
      status.conditions ?? [],
      {
        type: "DisruptionAllowed",
        status: allowed ? "True" : "False",
        reason: allowed ? "SufficientPods" : "InsufficientPods",
        message: "",
        observedGeneration: status.observedGeneration,
      },
      nowIso,
    ),
  };
}
