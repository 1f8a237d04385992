import { invalid, methodNotAllowed } from "../../../store/status-error";
import { asObject } from "../json-object";
import { METHOD_NOT_ALLOWED, type RequestScope } from "../request-scope";
import { readBodyObject } from "../request-body";
import { CREATED_STATUS, sendJson } from "../responses";
import { bindPod } from "./bind-pod";

/** POST of `pods/<name>/binding` (what a scheduler sends): assigns the pod to the target node. */
export async function bindingSubresource(scope: RequestScope): Promise<void> {
  const { deps, req, res, key, method } = scope;
  if (key !== "pods" || method !== "POST") throw methodNotAllowed(METHOD_NOT_ALLOWED);
  const name = scope.target.name!;
  const body = await readBodyObject(req);
  const target = asObject(body.target);
  const nodeName = String(target.name ?? "");
  if (!nodeName) {
    throw invalid({ group: "", kind: "Binding" }, name, [{ reason: "FieldValueRequired", message: "Required value", field: "target.name" }]);
  }
  bindPod(deps, scope.namespace!, name, nodeName);
  sendJson(res, 201, CREATED_STATUS);
}
