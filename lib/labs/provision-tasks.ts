import { processSingleton } from "@/lib/process-singleton";

/** Abort controllers of in-flight provisioning, so Reset or Give up can stop it. */
const tasks = () => processSingleton<Map<string, AbortController>>("lab-provision-tasks", () => new Map());

export function beginProvisionTask(labSessionId: string): AbortController {
  tasks().get(labSessionId)?.abort(new Error("superseded by a newer provisioning of the same lab"));
  const c = new AbortController();
  tasks().set(labSessionId, c);
  return c;
}

export function endProvisionTask(labSessionId: string, c: AbortController): void {
  if (tasks().get(labSessionId) === c) tasks().delete(labSessionId);
}

export function abortProvisionTask(labSessionId: string, reason: string): void {
  const c = tasks().get(labSessionId);
  if (!c) return;
  c.abort(new Error(reason));
  tasks().delete(labSessionId);
}
