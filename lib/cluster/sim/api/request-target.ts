import { findResourceType, type ResourceType } from "../store/resource-types";
import { pathNotFound } from "../store/status-error";

/** What a resource URL names: /api/v1/namespaces/ns/pods/web/log → pods "web" in ns, subresource log. */
export interface ResourceTarget {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

function notFoundPath(): never {
  throw pathNotFound();
}

/**
 * Parses the path segments after /api or /apis. Returns undefined for discovery paths
 * (/api, /api/v1, /apis/apps, /apis/apps/v1).
 */
export function parseResourcePath(segments: string[]): ResourceTarget | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === "api") {
    group = "";
    version = segments[1] ?? "";
    rest = segments.slice(2);
  } else if (segments[0] === "apis") {
    group = segments[1] ?? "";
    version = segments[2] ?? "";
    rest = segments.slice(3);
  } else return notFoundPath();
  if (!rest.length) return undefined;
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3 && !(rest.length === 3 && (rest[2] === "status" || rest[2] === "finalize"))) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (extra.length || !resource) return notFoundPath();
  const rt = findResourceType(group, resource, version);
  if (!rt) return notFoundPath();
  if (namespace && !rt.namespaced) return notFoundPath();
  return { rt, namespace, name, subresource };
}
