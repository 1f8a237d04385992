import type { ServerResponse } from "node:http";
import type { ResourceType } from "../../store/resource-types";
import { badRequest } from "../../store/status-error";
import type { KubeObject } from "../../store/types";
import { unknownFields } from "../unknown-fields";

/**
 * fieldValidation: Strict (what kubectl sends) rejects unknown fields with the apiserver's
 * message; Warn (the default) answers with Warning headers, which kubectl prints; Ignore ignores.
 */
export function checkUnknownFields(rt: ResourceType, obj: KubeObject, q: URLSearchParams, res: ServerResponse, patch: boolean): void {
  const mode = q.get("fieldValidation") ?? "Warn";
  if (mode === "Ignore") return;
  const unknown = unknownFields(rt.kind, obj, rt.version);
  if (!unknown.length) return;
  const list = unknown.map((f) => `unknown field "${f}"`);
  if (mode === "Strict") {
    const why = `strict decoding error: ${list.join(", ")}`;
    throw badRequest(patch ? why : `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: ${why}`);
  }
  res.setHeader("Warning", list.map((w) => `299 - ${JSON.stringify(w)}`));
}
