import { matchesLabels, selectorFromObject, type LabelSelectorObject } from "../../../store/selectors";
import { badRequest, forbidden, methodNotAllowed, tooManyRequests } from "../../../store/status-error";
import type { KubeObject } from "../../../store/types";
import { withDisruptionAllowedCondition, type PdbStatus } from "../../pdb-status";
import { asObject } from "../json-object";
import { isDryRun, METHOD_NOT_ALLOWED, type RequestScope } from "../request-scope";
import { readBodyObject } from "../request-body";
import { CREATED_STATUS, sendJson } from "../responses";

/**
 * POST of `pods/<name>/eviction` (kubectl drain), as pkg/registry/core/pod/storage/eviction.go:
 * a pod that is not running (pending, finished, terminating) is deleted at once; otherwise the
 * one PodDisruptionBudget that selects it must allow a disruption, which the eviction takes
 * (disruptionsAllowed - 1, the pod in disruptedPods) before deleting the pod. A budget at zero
 * answers 429, so drain retries every 5 s.
 */

const PDB = "poddisruptionbudgets.policy";
const EVICTION_REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";
const MAX_DISRUPTED_PODS = 2000;

function isPodReady(pod: KubeObject): boolean {
  const conds = asObject(pod.status).conditions;
  return Array.isArray(conds) && conds.some((c) => asObject(c).type === "Ready" && asObject(c).status === "True");
}

/** canIgnorePDB: terminal, pending and terminating pods disrupt nothing more. */
function canIgnorePdb(pod: KubeObject): boolean {
  const phase = asObject(pod.status).phase;
  return phase === "Succeeded" || phase === "Failed" || phase === "Pending" || Boolean(pod.metadata.deletionTimestamp);
}

export async function evictionSubresource(scope: RequestScope): Promise<void> {
  const { deps, req, res, key, method, query } = scope;
  if (key !== "pods" || method !== "POST") throw methodNotAllowed(METHOD_NOT_ALLOWED);
  const body = await readBodyObject(req);
  const name = scope.target.name!;
  const evictionName = asObject(body.metadata).name;
  if (typeof evictionName === "string" && evictionName && evictionName !== name) throw badRequest("name in URL does not match name in Eviction object");
  const opts = asObject(body.deleteOptions);
  const dryRun = isDryRun(query) || (Array.isArray(opts.dryRun) && opts.dryRun.includes("All"));
  const grace = typeof opts.gracePeriodSeconds === "number" ? opts.gracePeriodSeconds : undefined;
  const pod = deps.store.mustGet("pods", scope.namespace, name);
  const remove = (withRv: boolean) => {
    if (!dryRun) {
      // addConditionAndDeletePod: the pod says why it goes (DisruptionTarget), then it is deleted.
      const status = asObject(pod.status);
      const conds = (Array.isArray(status.conditions) ? status.conditions : []).map(asObject).filter((c) => c.type !== "DisruptionTarget");
      const nowIso = deps.clock.now().toISOString().replace(/\.\d{3}Z$/, "Z");
      conds.push({ type: "DisruptionTarget", status: "True", lastProbeTime: null, lastTransitionTime: nowIso, reason: "EvictionByEvictionAPI", message: "Eviction API: evicting" });
      const marked = deps.store.update("pods", { ...pod, status: { ...status, conditions: conds } }, { subresource: "status", force: true });
      deps.store.delete("pods", scope.namespace, name, {
        gracePeriodSeconds: grace,
        preconditions: withRv ? { resourceVersion: marked.metadata.resourceVersion } : undefined,
      });
    }
    sendJson(res, 201, CREATED_STATUS);
  };
  if (canIgnorePdb(pod)) return remove(false);

  const pdbs = deps.store.list(PDB, { namespace: pod.metadata.namespace }).items.filter((p) => {
    // A budget with a nil or empty selector matches nothing, not everything.
    const sel = selectorFromObject(asObject(p.spec).selector as LabelSelectorObject | undefined);
    return sel.length > 0 && matchesLabels(sel, pod.metadata.labels);
  });
  if (pdbs.length > 1) {
    const message = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";
    return sendJson(res, 500, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, code: 500 });
  }
  if (!pdbs.length) return remove(false);
  const pdb = pdbs[0]!;
  const pdbName = pdb.metadata.name ?? "";
  const status = asObject(pdb.status) as unknown as PdbStatus;
  // An unready pod does not count as healthy, so evicting it takes nothing from the budget.
  const unready = !isPodReady(pod);
  if (unready && asObject(pdb.spec).unhealthyPodEvictionPolicy === "AlwaysAllow") return remove(true);
  if (unready && status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0) return remove(true);

  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) {
    throw tooManyRequests(EVICTION_REFUSED, 10, [{ reason: "DisruptionBudget", message: `The disruption budget ${pdbName} is still being processed by the server.` }]);
  }
  if (status.disruptionsAllowed < 0) throw forbidden(`poddisruptionbudgets.policy "${pdbName}" is forbidden: pdb disruptions allowed is negative`);
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
    throw forbidden(`poddisruptionbudgets.policy "${pdbName}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`);
  }
  if (!status.disruptionsAllowed) {
    throw tooManyRequests(EVICTION_REFUSED, 0, [
      { reason: "DisruptionBudget", message: `The disruption budget ${pdbName} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently` },
    ]);
  }
  if (!dryRun) {
    const nowIso = deps.clock.now().toISOString().replace(/\.\d{3}Z$/, "Z");
    let next: PdbStatus = { ...status, disruptionsAllowed: status.disruptionsAllowed - 1 };
    if (next.disruptionsAllowed === 0) next = withDisruptionAllowedCondition(next, nowIso);
    // The disruption controller leaves the pod out of currentHealthy until it is gone (or 2 min pass).
    next.disruptedPods = { ...(status.disruptedPods ?? {}), [name]: nowIso };
    // The resourceVersion makes two concurrent evictions conflict instead of both spending the budget.
    deps.store.update(PDB, { ...pdb, status: next }, { subresource: "status" });
  }
  remove(false);
}
