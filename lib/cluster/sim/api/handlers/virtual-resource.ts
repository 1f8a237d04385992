import { methodNotAllowed, pathNotFound } from "../../store/status-error";
import { asObject } from "./json-object";
import { METHOD_NOT_ALLOWED, type RequestScope } from "./request-scope";
import { readBodyObject } from "./request-body";
import { CREATED_STATUS, sendJson } from "./responses";
import { accessReview, localAccessReview, rulesReview, selfSubjectReview, tokenReview } from "../rbac/access-reviews";
import { bindPod } from "./subresources/bind-pod";

/**
 * Create-only resources that are never stored: a POST is answered at once (bindings assign a
 * pod; access and rules reviews answer a permission question through the same authorizer every
 * request meets; SelfSubjectReview and TokenReview say who a caller or a token is).
 */
export async function virtualResource(scope: RequestScope): Promise<void> {
  const { deps, req, res, rt, target, user } = scope;
  const body = await readBodyObject(req);
  if (scope.method !== "POST") throw methodNotAllowed(METHOD_NOT_ALLOWED);
  switch (rt.resource) {
    case "bindings": {
      const nodeName = String(asObject(body.target).name ?? "");
      bindPod(deps, target.namespace ?? "default", String(asObject(body.metadata).name ?? ""), nodeName);
      return sendJson(res, 201, CREATED_STATUS);
    }
    case "selfsubjectaccessreviews":
      return sendJson(res, 201, accessReview(deps.store, user, "SelfSubjectAccessReview", body));
    case "subjectaccessreviews":
      return sendJson(res, 201, accessReview(deps.store, user, "SubjectAccessReview", body));
    case "localsubjectaccessreviews":
      return sendJson(res, 201, localAccessReview(deps.store, user, target.namespace ?? "", body));
    case "selfsubjectrulesreviews":
      return sendJson(res, 201, rulesReview(deps.store, user, body));
    case "selfsubjectreviews":
      return sendJson(res, 201, selfSubjectReview(user));
    case "tokenreviews":
      return sendJson(res, 201, tokenReview(deps.store, deps.clock.now(), deps.serviceAccountKey?.() ?? null, body));
  }
  throw pathNotFound();
}
