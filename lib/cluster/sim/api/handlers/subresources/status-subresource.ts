import { invalid, methodNotAllowed, pathNotFound } from "../../../store/status-error";
import type { KubeObject } from "../../../store/types";
import { CSR_KEY, csrUpdateCauses, prepareCsrForUpdate } from "../../certificates/csr-strategy";
import { readObjectBody } from "../object-body";
import { sendObject } from "../object-response";
import { applyPatchBody } from "../patch-resource";
import { METHOD_NOT_ALLOWED, type RequestScope } from "../request-scope";
import { asServed, asStored } from "../served-object";

/** GET, PUT or PATCH of `<object>/status`: writes change only the status (the store keeps the rest). */
export async function statusSubresource(scope: RequestScope): Promise<void> {
  const { deps, req, rt, key, namespace: ns, method } = scope;
  const name = scope.target.name!;
  if (!rt.subresources?.includes("status")) throw pathNotFound();
  const cur = asServed(rt, deps.store.mustGet(key, ns, name));
  if (method === "GET") return sendObject(scope, 200, cur);
  let next: KubeObject;
  if (method === "PUT") next = await readObjectBody(req, rt, ns);
  else if (method === "PATCH") next = await applyPatchBody(req, rt, cur);
  else throw methodNotAllowed(METHOD_NOT_ALLOWED);
  next.metadata.name = name;
  next.metadata.namespace = cur.metadata.namespace;
  if (key === CSR_KEY) {
    prepareCsrForUpdate(next, cur, "status", deps.clock.now().toISOString().replace(/\.\d{3}Z$/, "Z"));
    const causes = csrUpdateCauses(next, cur, "status");
    if (causes.length) throw invalid(rt, name, causes);
  }
  const updated = deps.store.update(key, asStored(rt, next), { subresource: "status" });
  sendObject(scope, 200, asServed(rt, updated));
}
