import type { IncomingMessage } from "node:http";
import jsonpatch, { type Operation } from "fast-json-patch";
import type { ResourceType } from "../../store/resource-types";
import { badRequest, StatusError, unsupportedMediaType } from "../../store/status-error";
import type { KubeObject } from "../../store/types";
import { patchMetaFor } from "../patch-meta";
import { applyMergePatch, applyStrategicMergePatch } from "../strategic-merge-patch";
import { checkUnknownFields } from "./field-validation";
import { asObject } from "./json-object";
import { sendObject } from "./object-response";
import { isDryRun, type RequestScope } from "./request-scope";
import { parseBody, readBody } from "./request-body";
import { asServed } from "./served-object";
import { updateObject } from "./update-resource";
import { applyResource } from "../apply/apply-resource";
import { updateOwnership } from "../apply/field-manager";

/** PATCH of a named object: the patch applies to the stored object, and the result is an update. */
export async function patchResource(scope: RequestScope): Promise<void> {
  const { deps, req, res, rt, key, namespace, query, target } = scope;
  if (String(req.headers["content-type"] ?? "").split(";")[0]!.trim() === "application/apply-patch+yaml") return applyResource(scope);
  const stored = deps.store.mustGet(key, namespace, target.name!);
  // The patch applies to the object in the URL's version (autoscaling/v1 HPAs, events.k8s.io events).
  const patched = await applyPatchBody(req, rt, asServed(rt, stored));
  checkUnknownFields(rt, patched, query, res, true);
  const updated = updateObject(deps, rt, key, patched, stored, isDryRun(query), updateOwnership(scope));
  sendObject(scope, 200, updated);
}

/**
 * Reads the patch in the request and applies it to `cur` by its Content-Type (JSON patch, merge
 * patch or strategic merge patch; server-side apply is apply-resource.ts). Returns the patched object.
 */
export async function applyPatchBody(req: IncomingMessage, rt: ResourceType, cur: KubeObject): Promise<KubeObject> {
  const ct = String(req.headers["content-type"] ?? "").split(";")[0]!.trim();
  const body = parseBody(await readBody(req), ct);
  let result: KubeObject;
  switch (ct) {
    case "application/json-patch+json": {
      if (!Array.isArray(body)) throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
      try {
        result = jsonpatch.applyPatch(structuredClone(cur), body as Operation[], true, false).newDocument;
      } catch (e) {
        const msg = e instanceof Error ? e.message.split("\n")[0]! : String(e);
        throw Object.assign(
          new StatusError({
            kind: "Status",
            apiVersion: "v1",
            metadata: {},
            status: "Failure",
            message: `the server rejected our request due to an error in our request: ${msg}`,
            reason: "Invalid",
            code: 422,
          }),
          {},
        );
      }
      break;
    }
    case "application/merge-patch+json":
      result = applyMergePatch(cur, body);
      break;
    case "application/strategic-merge-patch+json":
      result = applyStrategicMergePatch(cur, body, patchMetaFor(rt.kind));
      break;
    case "application/apply-patch+yaml":
      throw unsupportedMediaType(ct);
    default:
      throw unsupportedMediaType(ct);
  }
  // A patch that names a resourceVersion is a precondition (kubectl apply sends none; edit does).
  const rv = asObject(asObject(body).metadata).resourceVersion;
  result.metadata ??= {};
  if (typeof rv === "string") result.metadata.resourceVersion = rv;
  else result.metadata.resourceVersion = cur.metadata.resourceVersion;
  return result;
}
