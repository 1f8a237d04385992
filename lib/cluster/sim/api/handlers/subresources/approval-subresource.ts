import { invalid, methodNotAllowed, pathNotFound } from "../../../store/status-error";
import type { KubeObject } from "../../../store/types";
import { CSR_KEY, csrUpdateCauses, prepareCsrForUpdate } from "../../certificates/csr-strategy";
import { readObjectBody } from "../object-body";
import { sendObject } from "../object-response";
import { applyPatchBody } from "../patch-resource";
import { isDryRun, METHOD_NOT_ALLOWED, type RequestScope } from "../request-scope";

/**
 * GET, PUT or PATCH of `certificatesigningrequests/<name>/approval` (kubectl certificate
 * approve|deny): a write changes only the Approved/Denied/Failed conditions; the spec and the
 * issued certificate stay as stored.
 */
export async function approvalSubresource(scope: RequestScope): Promise<void> {
  const { deps, req, rt, key, method, query } = scope;
  const name = scope.target.name!;
  if (key !== CSR_KEY) throw pathNotFound();
  const cur = deps.store.mustGet(key, undefined, name);
  if (method === "GET") return sendObject(scope, 200, cur);
  let next: KubeObject;
  if (method === "PUT") next = await readObjectBody(req, rt, undefined);
  else if (method === "PATCH") next = await applyPatchBody(req, rt, cur);
  else throw methodNotAllowed(METHOD_NOT_ALLOWED);
  next.metadata.name = name;
  prepareCsrForUpdate(next, cur, "approval", deps.clock.now().toISOString().replace(/\.\d{3}Z$/, "Z"));
  const causes = csrUpdateCauses(next, cur, "approval");
  if (causes.length) throw invalid(rt, name, causes);
  if (isDryRun(query)) return sendObject(scope, 200, { ...cur, status: next.status });
  const updated = deps.store.update(key, next, { subresource: "status" });
  sendObject(scope, 200, updated);
}
