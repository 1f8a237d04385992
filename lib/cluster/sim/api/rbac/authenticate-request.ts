import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { SimClock } from "../../clock";
import type { ObjectStore } from "../../store/object-store";
import type { User } from "../handlers/request-scope";
import { authenticateServiceAccountToken } from "./service-account-token";

export const ANONYMOUS: User = { name: "system:anonymous", groups: ["system:unauthenticated"] };

/** Maps a verified client certificate to a user, as the x509 authenticator does: CN = user, O = groups. */
export function userFromCertificate(subject: { CN?: string | string[]; O?: string | string[] } | undefined): User | null {
  if (!subject?.CN) return null;
  const cn = Array.isArray(subject.CN) ? subject.CN[0]! : subject.CN;
  const o = subject.O === undefined ? [] : Array.isArray(subject.O) ? subject.O : [subject.O];
  return { name: cn, groups: [...o, "system:authenticated"] };
}

export interface AuthenticationDeps {
  store: ObjectStore;
  clock: SimClock;
  /** The PEM of --service-account-key-file's private key (kubeadm's sa.key); null: tokens are refused. */
  serviceAccountKey: () => string | null;
}

/**
 * The apiserver's authenticator union (x509 client certificates, then ServiceAccount bearer
 * tokens) wrapped in FailOnError with the anonymous authenticator: credentials that are presented
 * but do not verify are a 401 (null here); no credentials at all make the request
 * system:anonymous, whom authorization then judges.
 */
export function authenticateRequest(req: IncomingMessage, deps: AuthenticationDeps): User | null {
  const sock = req.socket as TLSSocket;
  const peer = typeof sock.getPeerCertificate === "function" ? sock.getPeerCertificate() : undefined;
  const presentedCert = !!peer && Object.keys(peer).length > 0;
  if (presentedCert) {
    if (!sock.authorized) return null;
    const user = userFromCertificate(peer.subject as { CN?: string; O?: string | string[] });
    if (user) return user;
  }
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (!m) return null;
    const key = deps.serviceAccountKey();
    if (!key) return null;
    return authenticateServiceAccountToken(key, m[1]!, deps.clock.now(), deps.store);
  }
  return presentedCert ? null : ANONYMOUS;
}
