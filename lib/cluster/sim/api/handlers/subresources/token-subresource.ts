import { randomUUID } from "node:crypto";
import { badRequest, methodNotAllowed, StatusError } from "../../../store/status-error";
import { SERVICE_ACCOUNT_ISSUER, signServiceAccountToken } from "../../rbac/service-account-token";
import { asObject } from "../json-object";
import { METHOD_NOT_ALLOWED, type RequestScope } from "../request-scope";
import { readBodyObject } from "../request-body";
import { sendJson } from "../responses";

/**
 * POST of `serviceaccounts/<name>/token` (kubectl create token): a TokenRequest answered with a
 * bound ServiceAccount token, signed with the cluster's service-account key (kubeadm's sa.key),
 * which the apiserver then accepts as a bearer token until it expires.
 */
export async function tokenSubresource(scope: RequestScope): Promise<void> {
  const { deps, req, res, key, method } = scope;
  if (key !== "serviceaccounts" || method !== "POST") throw methodNotAllowed(METHOD_NOT_ALLOWED);
  const ns = scope.namespace ?? "";
  const name = scope.target.name!;
  const sa = deps.store.mustGet(key, ns, name);
  const body = await readBodyObject(req);
  const spec = asObject(body.spec);
  const expiration = typeof spec.expirationSeconds === "number" ? spec.expirationSeconds : 3600;
  if (expiration < 600) throw badRequest(`TokenRequest.authentication.k8s.io "${name}" is invalid: spec.expirationSeconds: Invalid value: ${expiration}: may not specify a duration less than 10 minutes`);
  const signingKey = deps.serviceAccountKey?.() ?? null;
  if (!signingKey) {
    throw new StatusError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "the server could not find the requested resource", reason: "NotFound", code: 404 });
  }
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const audiences = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences.map(String) : [SERVICE_ACCOUNT_ISSUER];
  const token = signServiceAccountToken(signingKey, {
    aud: audiences,
    exp: now + expiration,
    iat: now,
    iss: SERVICE_ACCOUNT_ISSUER,
    jti: randomUUID(),
    "kubernetes.io": { namespace: ns, serviceaccount: { name, uid: sa.metadata.uid ?? "" } },
    nbf: now,
    sub: `system:serviceaccount:${ns}:${name}`,
  });
  sendJson(res, 201, {
    kind: "TokenRequest",
    apiVersion: "authentication.k8s.io/v1",
    metadata: { name, namespace: ns, creationTimestamp: null },
    spec: { audiences, expirationSeconds: expiration, boundObjectRef: spec.boundObjectRef ?? null },
    status: { token, expirationTimestamp: new Date((now + expiration) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z") },
  });
}
