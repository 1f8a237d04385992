import { methodNotAllowed } from "../../../store/status-error";
import { asObject } from "../json-object";
import { METHOD_NOT_ALLOWED, type RequestScope } from "../request-scope";
import { readBodyObject } from "../request-body";
import { CREATED_STATUS, sendJson } from "../responses";

/** POST of `pods/<name>/eviction` (kubectl drain): deletes the pod with the eviction's grace period. */
export async function evictionSubresource(scope: RequestScope): Promise<void> {
  const { deps, req, res, key, method } = scope;
  if (key !== "pods" || method !== "POST") throw methodNotAllowed(METHOD_NOT_ALLOWED);
  const body = await readBodyObject(req);
  const opts = asObject(body.deleteOptions);
  deps.store.delete("pods", scope.namespace, scope.target.name!, {
    gracePeriodSeconds: typeof opts.gracePeriodSeconds === "number" ? opts.gracePeriodSeconds : undefined,
  });
  sendJson(res, 201, CREATED_STATUS);
}
