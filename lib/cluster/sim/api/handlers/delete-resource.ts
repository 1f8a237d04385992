import type { ResourceType } from "../../store/resource-types";
import { forbidden } from "../../store/status-error";
import type { KubeObject } from "../../store/types";
import { asObject, type JsonObject } from "./json-object";
import { sendObject } from "./object-response";
import { isDryRun, type RequestScope } from "./request-scope";
import { readBodyObject } from "./request-body";
import { sendJson } from "./responses";

const UNDELETABLE_NAMESPACES = ["default", "kube-system", "kube-public"];

/**
 * DELETE of a named object, with DeleteOptions from the query or the body. An object that is
 * gone at once is answered with a Success Status; one that waits (grace period, finalizers) is
 * answered with its current state. Pods and namespaces always answer with the object, as the
 * real registries do.
 */
export async function deleteResource(scope: RequestScope): Promise<void> {
  const { deps, req, res, rt, key, namespace: ns, query: q } = scope;
  const name = scope.target.name!;
  const body = await readBodyObject(req);
  const grace = q.get("gracePeriodSeconds") ?? body.gracePeriodSeconds;
  const policy = (q.get("propagationPolicy") ?? body.propagationPolicy ?? (body.orphanDependents === true ? "Orphan" : undefined)) as
    | "Foreground"
    | "Background"
    | "Orphan"
    | undefined;
  const pre = asObject(body.preconditions);
  if (key === "namespaces" && UNDELETABLE_NAMESPACES.includes(name)) {
    throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`);
  }
  // kubectl sends dryRun in the DeleteOptions body; other clients put it in the query.
  if (isDryRun(q) || (Array.isArray(body.dryRun) && body.dryRun.includes("All"))) {
    const cur = deps.store.mustGet(key, ns, name);
    return sendObject(scope, 200, cur);
  }
  const { object, gone } = deps.store.delete(key, ns, name, {
    gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace),
    propagationPolicy: policy,
    preconditions: Object.keys(pre).length ? { uid: pre.uid as string | undefined, resourceVersion: pre.resourceVersion as string | undefined } : undefined,
  });
  if (gone && key !== "pods" && key !== "namespaces") return sendJson(res, 200, successStatus(rt, object));
  sendObject(scope, 200, object);
}

function successStatus(rt: ResourceType, obj: KubeObject): JsonObject {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: { name: obj.metadata.name, ...(rt.group ? { group: rt.group } : {}), kind: rt.resource, uid: obj.metadata.uid },
  };
}
