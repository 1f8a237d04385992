/**
 * Lab session states (DESIGN.md, "Labs"). provisioning → ready ⇄ checking, then one of the
 * final states. A lab in a live state owns a cluster; a final one never does.
 */
export const LAB_STATES = ["provisioning", "ready", "checking", "passed", "failed", "abandoned", "expired"] as const;
export type LabState = (typeof LAB_STATES)[number];

/** States in which the session holds (or is getting) a cluster. */
export const LIVE_STATES: readonly LabState[] = ["provisioning", "ready", "checking"];

export function isLabState(s: string): s is LabState {
  return (LAB_STATES as readonly string[]).includes(s);
}

export function isLive(state: string): boolean {
  return (LIVE_STATES as readonly string[]).includes(state);
}

/** The provisioning steps the learner watches, in order. */
export const PROVISION_STEPS = ["cluster", "setup", "inject", "ready"] as const;
export type ProvisionStep = (typeof PROVISION_STEPS)[number];

export const PROVISION_STEP_LABELS: Record<ProvisionStep, string> = {
  cluster: "Create the cluster",
  setup: "Set up the scenario",
  inject: "Inject the fault",
  ready: "Lab ready",
};

/**
 * Every state change a lab may make. A final state is never left, with one exception: a lab
 * whose provisioning failed can be reset (resetLab also requires that it never became ready).
 * checking → expired: an idle sweep or a restart may find a lab mid-check whose cluster is gone.
 */
export const LAB_TRANSITIONS: Record<LabState, readonly LabState[]> = {
  provisioning: ["ready", "failed", "abandoned", "expired"],
  ready: ["checking", "provisioning", "passed", "failed", "abandoned", "expired"],
  checking: ["ready", "expired"],
  failed: ["provisioning"],
  passed: [],
  abandoned: [],
  expired: [],
};

export function canTransition(from: LabState, to: LabState): boolean {
  return LAB_TRANSITIONS[from].includes(to);
}

/** Why a lab failed or ended without the learner, as the learner reads it. */
export interface LabFailure {
  /** What happened. */
  message: string;
  /** What to do about it. */
  hint: string | null;
}
