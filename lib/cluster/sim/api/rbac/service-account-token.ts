import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { z } from "zod";
import type { ObjectStore } from "../../store/object-store";
import type { User } from "../handlers/request-scope";

/** The issuer and default audience of kubeadm's apiserver (--service-account-issuer, --api-audiences). */
export const SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

/** The key id the apiserver puts in its tokens: SHA-256 of the public key's DER, base64url. */
function keyId(publicKey: KeyObject): string {
  return createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("base64url");
}

export interface ServiceAccountTokenClaims {
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  iss: string;
  jti: string;
  sub: string;
  "kubernetes.io": { namespace: string; serviceaccount: { name: string; uid: string }; pod?: { name: string; uid: string } };
}

/** Signs a bound ServiceAccount token (RS256, as the apiserver does with sa.key). */
export function signServiceAccountToken(privateKeyPem: string, claims: ServiceAccountTokenClaims): string {
  const key = createPrivateKey(privateKeyPem);
  const head = `${b64({ alg: "RS256", kid: keyId(createPublicKey(key)) })}.${b64(claims)}`;
  return `${head}.${sign("sha256", Buffer.from(head), key).toString("base64url")}`;
}

const claimsSchema = z.object({
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
  nbf: z.number().optional(),
  iss: z.string(),
  sub: z.string(),
  "kubernetes.io": z.object({ namespace: z.string(), serviceaccount: z.object({ name: z.string(), uid: z.string() }) }),
});

/**
 * The apiserver's ServiceAccount token authenticator: a Bearer JWT signed with sa.key, from the
 * cluster's issuer, for its audience, not expired, whose ServiceAccount still exists with the
 * same uid. Anything else is no user (the request then gets 401 Unauthorized).
 */
export function authenticateServiceAccountToken(privateKeyPem: string, token: string, now: Date, store: ObjectStore): User | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [h, p, s] = parts as [string, string, string];
  let header: unknown;
  let payload: unknown;
  try {
    header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
    payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (z.object({ alg: z.literal("RS256") }).safeParse(header).success === false) return null;
  const publicKey = createPublicKey(createPrivateKey(privateKeyPem));
  if (!verify("sha256", Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, "base64url"))) return null;
  const c = claimsSchema.safeParse(payload);
  if (!c.success) return null;
  const claims = c.data;
  const t = Math.floor(now.getTime() / 1000);
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== SERVICE_ACCOUNT_ISSUER || !aud.includes(SERVICE_ACCOUNT_ISSUER)) return null;
  if (claims.exp <= t || (claims.nbf !== undefined && claims.nbf > t + 60)) return null;
  const { namespace, serviceaccount } = claims["kubernetes.io"];
  if (claims.sub !== `system:serviceaccount:${namespace}:${serviceaccount.name}`) return null;
  const sa = store.get("serviceaccounts", namespace, serviceaccount.name);
  if (!sa || sa.metadata.uid !== serviceaccount.uid) return null;
  return { name: claims.sub, groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`, "system:authenticated"] };
}
