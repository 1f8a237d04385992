import type { LabFailure } from "./lab-states";

/** The persisted failure of a lab (LabSession.failureMessage/failureHint), or null when there is none. */
export function labFailureOf(s: { failureMessage: string | null; failureHint: string | null }): LabFailure | null {
  return s.failureMessage === null ? null : { message: s.failureMessage, hint: s.failureHint };
}
