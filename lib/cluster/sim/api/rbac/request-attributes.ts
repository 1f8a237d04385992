import type { RequestAttributes } from "./authorize";

const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

/**
 * What a request asks to do, read from its method and URL as the apiserver's RequestInfoFactory
 * reads it (before routing, so an unknown resource is still authorized by name):
 * /api/v1/namespaces/ns/pods/web/log → get pods/log "web" in ns; /healthz → get path /healthz.
 */
export function requestAttributes(user: { name: string; groups: string[] }, method: string, url: URL): RequestAttributes {
  const path = url.pathname;
  const base = { user: user.name, groups: user.groups };
  const parts = path.split("/").filter(Boolean);
  let rest: string[] | undefined;
  let apiGroup = "";
  if (parts[0] === "api" && parts.length >= 3) rest = parts.slice(2);
  else if (parts[0] === "apis" && parts.length >= 4) {
    apiGroup = parts[1]!;
    rest = parts.slice(3);
  }
  if (!rest) return { ...base, resourceRequest: false, verb: method.toLowerCase(), path };
  let watch = url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1";
  // The deprecated /watch/ prefix still means a watch.
  if (rest[0] === "watch") {
    watch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) rest = rest.slice(2);
  }
  const [resource, nameFromPath, subresource] = rest;
  let name = nameFromPath;
  let verb: string;
  switch (method) {
    case "GET":
    case "HEAD":
      verb = watch ? "watch" : name ? "get" : "list";
      break;
    case "POST":
      verb = "create";
      break;
    case "PUT":
      verb = "update";
      break;
    case "PATCH":
      verb = "patch";
      break;
    case "DELETE":
      verb = name ? "delete" : "deletecollection";
      break;
    default:
      verb = method.toLowerCase();
  }
  // A list or watch of one object by field selector is authorized as that object's name.
  if ((verb === "list" || verb === "watch") && !name) {
    const m = /(?:^|,)metadata\.name==?([^,]+)/.exec(url.searchParams.get("fieldSelector") ?? "");
    if (m) name = m[1];
  }
  return { ...base, resourceRequest: true, verb, apiGroup, resource, subresource, namespace, name };
}
