import { groupResource, type ResourceType } from "./resource-types";

/** A field-level cause of an Invalid error, as the apiserver reports it. */
export interface StatusCause {
  reason: string; // FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, ...
  message: string;
  field: string;
}

export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure";
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/** An error that the API layer sends back as a real `Status` object. */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = "StatusError";
  }
  get code(): number {
    return this.status.code;
  }
}

function status(code: number, reason: string, message: string, details?: Status["details"]): StatusError {
  return new StatusError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, details, code });
}

type Rt = Pick<ResourceType, "group" | "resource">;

/** pods "web" not found */
export function notFound(rt: Rt, name: string): StatusError {
  return status(404, "NotFound", `${groupResource(rt)} "${name}" not found`, {
    name,
    ...(rt.group ? { group: rt.group } : {}),
    kind: rt.resource,
  });
}

/** pods "web" already exists */
export function alreadyExists(rt: Rt, name: string): StatusError {
  return status(409, "AlreadyExists", `${groupResource(rt)} "${name}" already exists`, {
    name,
    ...(rt.group ? { group: rt.group } : {}),
    kind: rt.resource,
  });
}

/** Operation cannot be fulfilled on deployments.apps "web": the object has been modified; … */
export function conflict(rt: Rt, name: string, why = "the object has been modified; please apply your changes to the latest version and try again"): StatusError {
  return status(409, "Conflict", `Operation cannot be fulfilled on ${groupResource(rt)} "${name}": ${why}`, {
    name,
    ...(rt.group ? { group: rt.group } : {}),
    kind: rt.resource,
  });
}

/** Pod "web" is invalid: spec.containers[0].image: Required value (Deployment.apps "web" for groups) */
export function invalid(rt: Pick<ResourceType, "group" | "kind">, name: string, causes: StatusCause[]): StatusError {
  const list = causes.map((c) => `${c.field}: ${c.message}`);
  const joined = list.length === 1 ? list[0] : `[${list.join(", ")}]`;
  const qualified = rt.group ? `${rt.kind}.${rt.group}` : rt.kind;
  return status(422, "Invalid", `${qualified} "${name}" is invalid: ${joined}`, {
    name,
    ...(rt.group ? { group: rt.group } : {}),
    kind: rt.kind,
    causes,
  });
}

/** 429 TooManyRequests, e.g. an eviction a disruption budget refuses; its causes name no field. */
export function tooManyRequests(message: string, retryAfterSeconds: number, causes: { reason: string; message: string }[] = []): StatusError {
  return status(429, "TooManyRequests", message, { ...(causes.length ? { causes: causes as StatusCause[] } : {}), ...(retryAfterSeconds ? { retryAfterSeconds } : {}) });
}

export function badRequest(message: string): StatusError {
  return status(400, "BadRequest", message);
}

export function forbidden(message: string): StatusError {
  return status(403, "Forbidden", message);
}

export function methodNotAllowed(message: string): StatusError {
  return status(405, "MethodNotAllowed", message);
}

/** The watch resume point is older than the history kept. */
export function gone(message: string): StatusError {
  return status(410, "Expired", message);
}

export function internalError(message: string): StatusError {
  return status(500, "InternalError", `Internal error occurred: ${message}`);
}

export function serviceUnavailable(message: string): StatusError {
  return status(503, "ServiceUnavailable", message);
}

export function timeoutError(message: string): StatusError {
  return status(504, "Timeout", message);
}

/** A URL the apiserver does not serve. */
export function pathNotFound(): StatusError {
  return status(404, "NotFound", "the server could not find the requested resource", {});
}

export function unauthorized(): StatusError {
  return status(401, "Unauthorized", "Unauthorized");
}

export function unsupportedMediaType(contentType: string): StatusError {
  return status(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${contentType})`);
}
