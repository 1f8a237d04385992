import type { LabDeps } from "./lab-deps";
import { canTransition, type LabFailure, type LabState, type ProvisionStep } from "./lab-states";

/** A state change the table in lab-states.ts does not allow: a bug in the caller, never the learner's doing. */
export class IllegalLabTransitionError extends Error {
  constructor(
    readonly from: LabState,
    readonly to: LabState,
  ) {
    super(`A lab cannot go from ${from} to ${to}.`);
    this.name = "IllegalLabTransitionError";
  }
}

/** The fields that change together with a lab's state. */
export interface LabStateFields {
  provisionStep?: ProvisionStep | null;
  failure?: LabFailure | null;
  readyAt?: Date | null;
  endedAt?: Date | null;
  lastActivityAt?: Date;
}

export interface LabTransition {
  /** The state(s) the lab must be in now; the change is refused by the table if any cannot reach `to`. */
  from: LabState | readonly LabState[];
  to: LabState;
  set?: LabStateFields;
  /** Only if the lab has been idle since before this time (the idle sweep must not expire a lab touched meanwhile). */
  idleBefore?: Date;
}

/**
 * The one way a lab changes state. Throws IllegalLabTransitionError for a change the table does
 * not allow; otherwise moves the lab only if it is still in `from` (compare-and-set, so two
 * requests racing for the same lab cannot both win) and returns whether it did.
 *
 * Entering `provisioning` starts again at the first step with no failure; entering `ready` ends
 * provisioning. Callers pass what else changes (times, the failure).
 *
 * @example
 * if (!(await transitionLab(deps, id, { from: "ready", to: "checking", set: { lastActivityAt: now } }))) {
 *   throw new ConflictError("A check is already running for this lab.");
 * }
 */
export async function transitionLab(deps: Pick<LabDeps, "db">, labSessionId: string, t: LabTransition): Promise<boolean> {
  const from: readonly LabState[] = typeof t.from === "string" ? [t.from] : t.from;
  for (const f of from) if (!canTransition(f, t.to)) throw new IllegalLabTransitionError(f, t.to);
  const set: LabStateFields = {
    ...(t.to === "provisioning" ? { provisionStep: "cluster", failure: null } : {}),
    ...(t.to === "ready" ? { provisionStep: null, failure: null } : {}),
    ...t.set,
  };
  const { failure, ...rest } = set;
  const r = await deps.db.labSession.updateMany({
    where: { id: labSessionId, state: { in: [...from] }, ...(t.idleBefore ? { lastActivityAt: { lt: t.idleBefore } } : {}) },
    data: {
      state: t.to,
      ...rest,
      ...(failure !== undefined ? { failureMessage: failure?.message ?? null, failureHint: failure?.hint ?? null } : {}),
    },
  });
  return r.count > 0;
}

/** Records the provisioning step now running, while (and only while) the lab is still provisioning. */
export async function recordProvisionStep(deps: Pick<LabDeps, "db">, labSessionId: string, step: ProvisionStep): Promise<void> {
  await deps.db.labSession.updateMany({ where: { id: labSessionId, state: "provisioning" }, data: { provisionStep: step } });
}
