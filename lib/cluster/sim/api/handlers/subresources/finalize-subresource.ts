import { methodNotAllowed } from "../../../store/status-error";
import { asObject } from "../json-object";
import { readObjectBody } from "../object-body";
import { sendObject } from "../object-response";
import { METHOD_NOT_ALLOWED, type RequestScope } from "../request-scope";

/** PUT of `namespaces/<name>/finalize`: replaces spec.finalizers, which lets a Terminating namespace go. */
export async function finalizeSubresource(scope: RequestScope): Promise<void> {
  const { deps, req, rt, key, method } = scope;
  if (key !== "namespaces" || method !== "PUT") throw methodNotAllowed(METHOD_NOT_ALLOWED);
  const name = scope.target.name!;
  const body = await readObjectBody(req, rt, undefined);
  const cur = deps.store.mustGet(key, undefined, name);
  const next = structuredClone(cur);
  next.spec = { ...asObject(next.spec), finalizers: (asObject(body.spec).finalizers as string[] | undefined) ?? [] };
  const updated = deps.store.update(key, next, { force: true });
  sendObject(scope, 200, updated);
}
