import { conflict } from "../../../store/status-error";
import { asObject, type JsonObject } from "../json-object";
import type { RestApiDeps } from "../request-scope";

/** Sets spec.nodeName once, as the binding REST does (pods/binding and `POST bindings`). */
export function bindPod(deps: RestApiDeps, ns: string, name: string, nodeName: string): void {
  const pod = deps.store.mustGet("pods", ns, name);
  const spec = asObject(pod.spec);
  if (spec.nodeName) {
    throw conflict({ group: "", resource: "pods" }, name, `pod ${name} is already assigned to node "${String(spec.nodeName)}"`);
  }
  if (pod.metadata.deletionTimestamp) throw conflict({ group: "", resource: "pods" }, name, `pod ${name} is being deleted, cannot be assigned to a host`);
  pod.spec = { ...spec, nodeName };
  const updated = deps.store.update("pods", pod, { force: true });
  const status = asObject(updated.status);
  const conds = (Array.isArray(status.conditions) ? (status.conditions as JsonObject[]) : []).filter((c) => c.type !== "PodScheduled");
  conds.push({ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: deps.clock.now().toISOString().replace(/\.\d{3}Z$/, "Z") });
  updated.status = { ...status, conditions: conds };
  deps.store.update("pods", updated, { subresource: "status", force: true });
}
