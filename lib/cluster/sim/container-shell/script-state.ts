import type { PlanStep } from "./run-plan";

/** The interpreter's state while it runs a script: the clock (ms since start), last status, variables, files and the steps so far. */
export interface ScriptState {
  t: number;
  status: number;
  vars: Record<string, string>;
  files: Record<string, string>;
  steps: PlanStep[];
  exit?: number;
  forever?: boolean;
  bomb?: boolean;
  execDefault?: boolean;
}
