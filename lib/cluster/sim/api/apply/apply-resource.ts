import { apiVersionOf } from "../../store/resource-types";
import { badRequest, invalid, StatusError } from "../../store/status-error";
import type { KubeObject } from "../../store/types";
import { checkUnknownFields } from "../handlers/field-validation";
import { createObject, nowStamp } from "../handlers/create-resource";
import { asObject } from "../handlers/json-object";
import { sendObject } from "../handlers/object-response";
import { isDryRun, type RequestScope } from "../handlers/request-scope";
import { parseBody, readBody } from "../handlers/request-body";
import { updateObject } from "../handlers/update-resource";
import { conflictMessage, pathText, serverSideApply, type ApplyConflict } from "./managed-fields";

/** The apiserver's 409 for apply conflicts, one FieldManagerConflict cause per field. */
function applyConflict(conflicts: ApplyConflict[]): StatusError {
  return new StatusError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: conflictMessage(conflicts),
    reason: "Conflict",
    details: {
      causes: conflicts.map((c) => ({
        reason: "FieldManagerConflict",
        message: `conflict with ${JSON.stringify(c.entry.manager)}${c.entry.operation === "Update" ? ` using ${c.entry.apiVersion}` : ""}`,
        field: pathText(c.path),
      })),
    },
    code: 409,
  });
}

/**
 * PATCH with `application/apply-patch+yaml` (kubectl apply --server-side, kubectl diff
 * --server-side): the body is the manager's whole intent; it creates the object if need be.
 */
export async function applyResource(scope: RequestScope): Promise<void> {
  const { deps, req, res, rt, key, namespace, query, target } = scope;
  const manager = query.get("fieldManager") ?? "";
  if (!manager) throw invalid({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [{ reason: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager" }]);
  const raw = parseBody(await readBody(req), "application/apply-patch+yaml");
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw badRequest("error decoding YAML: the object to apply must be a map");
  const config = raw as KubeObject;
  config.metadata = asObject(config.metadata) as KubeObject["metadata"];
  const want = apiVersionOf(rt);
  if (!config.apiVersion || !config.kind) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(raw)}'`);
  if (config.apiVersion !== want || config.kind !== rt.kind) {
    throw badRequest(`the API version in the data (${String(config.apiVersion)}) does not match the expected API version (${want})`);
  }
  if (config.metadata.name && config.metadata.name !== target.name) {
    throw badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${target.name})`);
  }
  config.metadata.name = target.name;
  if (rt.namespaced) {
    if (config.metadata.namespace && namespace && config.metadata.namespace !== namespace) {
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    config.metadata.namespace = namespace;
  }
  delete config.metadata.managedFields;
  checkUnknownFields(rt, config, query, res, true);
  const cur = deps.store.get(key, namespace, target.name!);
  const force = query.get("force") === "true";
  const result = serverSideApply(cur, config, { manager, operation: "Apply", apiVersion: want }, force, nowStamp(deps));
  if (result.conflicts.length) throw applyConflict(result.conflicts);
  const dryRun = isDryRun(query);
  if (!cur) return sendObject(scope, 201, createObject(deps, rt, key, result.object, namespace, dryRun, { applied: result.managedFields }));
  sendObject(scope, 200, updateObject(deps, rt, key, result.object, cur, dryRun, { applied: result.managedFields }));
}
