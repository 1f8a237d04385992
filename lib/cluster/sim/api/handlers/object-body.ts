import type { IncomingMessage } from "node:http";
import type { ResourceType } from "../../store/resource-types";
import { badRequest } from "../../store/status-error";
import type { KubeObject } from "../../store/types";
import { asObject } from "./json-object";
import { parseBody, readBody } from "./request-body";

/**
 * The body of a create or an update as an object of the URL's kind: its kind and namespace must
 * agree with the URL, the URL's namespace fills a missing one, and managedFields are dropped.
 */
export async function readObjectBody(req: IncomingMessage, rt: ResourceType, ns: string | undefined): Promise<KubeObject> {
  const raw = parseBody(await readBody(req), String(req.headers["content-type"] ?? ""));
  const body = asObject(raw) as unknown as KubeObject;
  if (!raw || typeof raw !== "object") throw badRequest("Object 'Kind' is missing in '{}'");
  body.metadata = asObject(body.metadata) as KubeObject["metadata"];
  if (body.kind && body.kind !== rt.kind) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${rt.group ? `${rt.group}/` : ""}${rt.version})`);
  }
  if (rt.namespaced) {
    if (body.metadata.namespace && ns && body.metadata.namespace !== ns) {
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    body.metadata.namespace = ns ?? body.metadata.namespace;
  }
  delete body.metadata.managedFields;
  return body;
}
