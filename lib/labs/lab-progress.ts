import { EventEmitter } from "node:events";
import { processSingleton } from "@/lib/process-singleton";
import { PROVISION_STEPS, type ProvisionStep } from "./lab-states";

export type StepStatus = "pending" | "running" | "done" | "failed";

/** What the lab page shows while a cluster is being prepared; plain data for the browser. */
export interface ProvisionProgress {
  labSessionId: string;
  driverLabel: string;
  steps: { id: ProvisionStep; status: StepStatus }[];
  /** Set when provisioning failed: what happened and what to do. */
  error?: { message: string; hint?: string };
  done: boolean;
}

interface Hub {
  emitter: EventEmitter;
  latest: Map<string, ProvisionProgress>;
}

// server.ts and route handlers are separate module graphs; both must see the same hub.
const hub = () =>
  processSingleton<Hub>("lab-progress", () => {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    return { emitter, latest: new Map() };
  });

export function initialProgress(labSessionId: string, driverLabel: string): ProvisionProgress {
  return { labSessionId, driverLabel, steps: PROVISION_STEPS.map((id) => ({ id, status: "pending" })), done: false };
}

/** Records and broadcasts a new progress state for one lab. */
export function publishProgress(p: ProvisionProgress): void {
  const h = hub();
  h.latest.set(p.labSessionId, p);
  h.emitter.emit(p.labSessionId, p);
}

export function latestProgress(labSessionId: string): ProvisionProgress | undefined {
  return hub().latest.get(labSessionId);
}

export function forgetProgress(labSessionId: string): void {
  hub().latest.delete(labSessionId);
}

/** Calls fn on every progress change of one lab; returns the unsubscribe function. */
export function subscribeProgress(labSessionId: string, fn: (p: ProvisionProgress) => void): () => void {
  const h = hub();
  h.emitter.on(labSessionId, fn);
  return () => h.emitter.off(labSessionId, fn);
}

/** Returns progress with `step` set to `status`, every earlier step done. */
export function withStep(p: ProvisionProgress, step: ProvisionStep, status: StepStatus): ProvisionProgress {
  const at = PROVISION_STEPS.indexOf(step);
  return {
    ...p,
    steps: p.steps.map((s, i) => (i < at ? { ...s, status: "done" } : i === at ? { ...s, status } : s)),
    done: step === "ready" && status === "done",
  };
}
