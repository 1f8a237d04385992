import { apiVersionOf } from "../../store/resource-types";
import type { RequestScope } from "../handlers/request-scope";
import type { ManagedFieldsEntry, Manager } from "./managed-fields";

/** How a write records field ownership: as an Update by a manager, or with the entries an apply computed. */
export type FieldOwnership = { update: Manager } | { applied: ManagedFieldsEntry[] };

/**
 * The manager of an Update-operation write: `?fieldManager=` (kubectl always sends one, e.g.
 * kubectl-create, kubectl-client-side-apply, kubectl-edit), else the User-Agent's product
 * (`kube-controller-manager/v1.32.2 …` → kube-controller-manager), as the apiserver defaults it.
 */
export function updateOwnership(scope: RequestScope, subresource?: string): FieldOwnership | undefined {
  const name = scope.query.get("fieldManager") || String(scope.req.headers["user-agent"] ?? "").split("/")[0]!.slice(0, 128);
  if (!name) return undefined;
  return { update: { manager: name, operation: "Update", apiVersion: apiVersionOf(scope.rt), ...(subresource ? { subresource } : {}) } };
}
