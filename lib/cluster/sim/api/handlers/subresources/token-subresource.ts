import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { methodNotAllowed } from "../../../store/status-error";
import { asObject } from "../json-object";
import { METHOD_NOT_ALLOWED, type RequestScope } from "../request-scope";
import { readBodyObject } from "../request-body";
import { sendJson } from "../responses";

const TOKEN_KEY = randomBytes(32);

/**
 * A JWT shaped like the apiserver's bound ServiceAccount tokens. It is signed with a per-process
 * HMAC key rather than the cluster's sa.key, and the sim does not accept tokens for
 * authentication (docs/sim-fidelity.md).
 */
function serviceAccountToken(claims: Record<string, unknown>): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const head = `${b64({ alg: "HS256", kid: "sim" })}.${b64(claims)}`;
  return `${head}.${createHmac("sha256", TOKEN_KEY).update(head).digest("base64url")}`;
}

/** POST of `serviceaccounts/<name>/token` (kubectl create token): a TokenRequest with a bound token. */
export async function tokenSubresource(scope: RequestScope): Promise<void> {
  const { deps, req, res, key, method } = scope;
  if (key !== "serviceaccounts" || method !== "POST") throw methodNotAllowed(METHOD_NOT_ALLOWED);
  const ns = scope.namespace;
  const name = scope.target.name!;
  const sa = deps.store.mustGet(key, ns, name);
  const body = await readBodyObject(req);
  const spec = asObject(body.spec);
  const expiration = typeof spec.expirationSeconds === "number" ? spec.expirationSeconds : 3600;
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const audiences = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences : ["https://kubernetes.default.svc.cluster.local"];
  const token = serviceAccountToken({
    aud: audiences,
    exp: now + expiration,
    iat: now,
    iss: "https://kubernetes.default.svc.cluster.local",
    jti: randomUUID(),
    "kubernetes.io": { namespace: ns, serviceaccount: { name, uid: sa.metadata.uid } },
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
