import { StatusError } from "../../store/status-error";
import type { RequestAttributes } from "./authorize";

/** The authorizer's sentence (apiserver/pkg/endpoints/handlers/responsewriters/errors.go forbiddenMessage). */
export function forbiddenMessage(a: RequestAttributes): string {
  if (!a.resourceRequest) return `User "${a.user}" cannot ${a.verb} path "${a.path ?? ""}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : (a.resource ?? "");
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : "at the cluster scope";
  return `User "${a.user}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup ?? ""}" ${scope}`;
}

/**
 * The 403 Status the apiserver sends on a denied request (errors.NewForbidden): "pods is
 * forbidden: …", "pods \"web\" is forbidden: …", "forbidden: …" for a path, with RBAC's reason
 * appended after a colon when it has one.
 */
export function forbiddenError(a: RequestAttributes, reason: string): StatusError {
  const why = reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a);
  const gr = a.resourceRequest ? (a.apiGroup ? `${a.resource}.${a.apiGroup}` : (a.resource ?? "")) : "";
  const message = !gr ? `forbidden: ${why}` : a.name ? `${gr} "${a.name}" is forbidden: ${why}` : `${gr} is forbidden: ${why}`;
  const details: { name?: string; group?: string; kind?: string } = {};
  if (a.name && a.resourceRequest) details.name = a.name;
  if (a.apiGroup && a.resourceRequest) details.group = a.apiGroup;
  if (a.resource && a.resourceRequest) details.kind = a.resource;
  return new StatusError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "Forbidden", details, code: 403 });
}
