import { methodNotAllowed, pathNotFound } from "../../store/status-error";
import { asObject } from "./json-object";
import { METHOD_NOT_ALLOWED, type RequestScope } from "./request-scope";
import { readBodyObject } from "./request-body";
import { CREATED_STATUS, sendJson } from "./responses";
import { bindPod } from "./subresources/bind-pod";

/**
 * Create-only resources that are never stored: a POST is answered at once (bindings assign a
 * pod; access and rules reviews answer a permission question).
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
    case "selfsubjectreviews":
      // kubectl auth whoami: the authenticated user as the authenticator saw it.
      return sendJson(res, 201, {
        kind: "SelfSubjectReview",
        apiVersion: "authentication.k8s.io/v1",
        metadata: { creationTimestamp: null },
        status: { userInfo: { username: user.name, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups } },
      });
    case "selfsubjectaccessreviews":
    case "subjectaccessreviews": {
      // RBAC is stored but not enforced: the admin (system:masters) may do anything, and so may
      // everyone else for now. docs/sim-fidelity.md says so.
      const masters = user.groups.includes("system:masters");
      return sendJson(res, 201, {
        kind: rt.kind,
        apiVersion: "authorization.k8s.io/v1",
        metadata: { creationTimestamp: null },
        spec: body.spec ?? {},
        status: { allowed: true, ...(masters ? {} : { reason: "RBAC is not enforced by the simulated cluster" }) },
      });
    }
    case "selfsubjectrulesreviews":
      return sendJson(res, 201, {
        kind: "SelfSubjectRulesReview",
        apiVersion: "authorization.k8s.io/v1",
        metadata: { creationTimestamp: null },
        spec: body.spec ?? {},
        status: {
          resourceRules: [
            { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
            { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] },
          ],
          nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
          incomplete: false,
        },
      });
  }
  throw pathNotFound();
}
