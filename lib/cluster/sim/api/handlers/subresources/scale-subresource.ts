import { conflict, invalid, methodNotAllowed, pathNotFound } from "../../../store/status-error";
import type { KubeObject } from "../../../store/types";
import { asObject, type JsonObject } from "../json-object";
import { applyPatchBody } from "../patch-resource";
import { METHOD_NOT_ALLOWED, type RequestScope } from "../request-scope";
import { readBodyObject } from "../request-body";
import { sendJson } from "../responses";

/** The autoscaling/v1 Scale view of a scalable object (replicas and the selector as a string). */
function scaleOf(obj: KubeObject): JsonObject {
  const spec = asObject(obj.spec);
  const status = asObject(obj.status);
  const sel = asObject(spec.selector);
  const selector = Object.entries(asObject(sel.matchLabels))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(",");
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: typeof spec.replicas === "number" ? spec.replicas : 1 },
    status: { replicas: typeof status.replicas === "number" ? status.replicas : 0, selector },
  };
}

/** GET, PUT or PATCH of `<object>/scale` (kubectl scale): a write sets spec.replicas only. */
export async function scaleSubresource(scope: RequestScope): Promise<void> {
  const { deps, req, res, rt, key, namespace: ns, method } = scope;
  const name = scope.target.name!;
  if (!rt.subresources?.includes("scale")) throw pathNotFound();
  const cur = deps.store.mustGet(key, ns, name);
  if (method === "GET") return sendJson(res, 200, scaleOf(cur));
  let scale: JsonObject;
  const current = scaleOf(cur) as unknown as KubeObject;
  if (method === "PUT") scale = await readBodyObject(req);
  else if (method === "PATCH") scale = (await applyPatchBody(req, { ...rt, kind: "Scale" }, current)) as unknown as JsonObject;
  else throw methodNotAllowed(METHOD_NOT_ALLOWED);
  const replicas = asObject(scale.spec).replicas;
  if (typeof replicas !== "number" || replicas < 0) {
    throw invalid({ group: "autoscaling", kind: "Scale" }, name, [
      { reason: "FieldValueInvalid", message: `Invalid value: ${String(replicas)}: must be greater than or equal to 0`, field: "spec.replicas" },
    ]);
  }
  const wantRv = asObject(scale.metadata).resourceVersion;
  if (method === "PUT" && typeof wantRv === "string" && wantRv && wantRv !== cur.metadata.resourceVersion) throw conflict(rt, name);
  const next = structuredClone(cur);
  next.spec = { ...asObject(next.spec), replicas };
  const updated = deps.store.update(key, next);
  sendJson(res, 200, scaleOf(updated));
}
