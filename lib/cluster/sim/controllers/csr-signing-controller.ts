/**
 * kube-controller-manager's csrsigning controller (pkg/controller/certificates/signer): for the
 * kubernetes.io signers it serves with --cluster-signing-cert-file/--cluster-signing-key-file
 * (kubeadm: the cluster CA), it signs approved requests that are not Failed and have no
 * certificate yet. A request the signer's rules refuse gets a Failed condition
 * (SignerValidationFailure); one for a signer nobody serves stays Approved without a certificate.
 * Certificates are dated by the wall clock (real clients judge them), like every sim certificate.
 */
import { X509Certificate } from "node:crypto";
import { logger } from "@/lib/logger";
import type { SimComponent } from "../contracts";
import { parseCertificateRequest, signCertificateRequest, type ParsedCertificateRequest } from "../pki/certificate-request";
import type { KubeObject } from "../store/types";
import type { ControllerOptions } from "./replicaset-controller";
import { createWorkQueue } from "./work-queue";

const CSR = "certificatesigningrequests.certificates.k8s.io";

/** --cluster-signing-duration's default (8760h). */
const CERT_TTL_MS = 365 * 24 * 3600 * 1000;
const BACKDATE_MS = 5 * 60 * 1000;
const SHORT_MS = 8 * 3600 * 1000;

type J = Record<string, unknown>;
const o = (v: unknown): J => (v && typeof v === "object" && !Array.isArray(v) ? (v as J) : {});
const list = (v: unknown): J[] => (Array.isArray(v) ? (v as unknown[]).map(o) : []);

const goList = (xs: string[]) => `[${[...xs].sort().join(" ")}]`;
const sameSet = (a: string[], b: string[]) => new Set(a).size === new Set(b).size && b.every((x) => a.includes(x));

const SERVING = ["digital signature", "key encipherment", "server auth"];
const SERVING_NO_RSA = ["digital signature", "server auth"];
const KUBELET_CLIENT = ["client auth", "digital signature", "key encipherment"];
const KUBELET_CLIENT_NO_RSA = ["client auth", "digital signature"];

function isSystemNodes(r: ParsedCertificateRequest): boolean {
  return r.organizations.length === 1 && r.organizations[0] === "system:nodes";
}

/** capihelper.ValidateKubeletServingCSR. */
function kubeletServing(r: ParsedCertificateRequest, usages: string[]): string | null {
  if (!isSystemNodes(r)) return "subject organization is not system:nodes";
  if (!r.dnsNames.length && !r.ipAddresses.length) return "DNS or IP subjectAltName is required";
  if (r.emailAddresses.length) return "Email subjectAltNames are not allowed";
  if (r.uris.length) return "URI subjectAltNames are not allowed";
  if (!sameSet(SERVING, usages) && !sameSet(SERVING_NO_RSA, usages)) return `usages did not match ${goList(SERVING)}`;
  if (!r.commonName.startsWith("system:node:")) return "subject common name does not begin with system:node:";
  return null;
}

/** capihelper.ValidateKubeletClientCSR. */
function kubeletClient(r: ParsedCertificateRequest, usages: string[]): string | null {
  if (!isSystemNodes(r)) return "subject organization is not system:nodes";
  if (r.dnsNames.length) return "DNS subjectAltNames are not allowed";
  if (r.emailAddresses.length) return "Email subjectAltNames are not allowed";
  if (r.ipAddresses.length) return "IP subjectAltNames are not allowed";
  if (r.uris.length) return "URI subjectAltNames are not allowed";
  if (!r.commonName.startsWith("system:node:")) return "subject common name does not begin with system:node:";
  if (!sameSet(KUBELET_CLIENT, usages) && !sameSet(KUBELET_CLIENT_NO_RSA, usages)) return `usages did not match ${goList(KUBELET_CLIENT)}`;
  return null;
}

/** validAPIServerClientUsages. */
function apiserverClient(_r: ParsedCertificateRequest, usages: string[]): string | null {
  let clientAuth = false;
  for (const u of usages) {
    if (u === "client auth") clientAuth = true;
    else if (u !== "digital signature" && u !== "key encipherment") return `invalid usage for client certificate: ${u}`;
  }
  return clientAuth ? null : "missing required usage for client certificate: client auth";
}

const SIGNERS: Record<string, (r: ParsedCertificateRequest, usages: string[]) => string | null> = {
  "kubernetes.io/kube-apiserver-client": apiserverClient,
  "kubernetes.io/kube-apiserver-client-kubelet": kubeletClient,
  "kubernetes.io/kubelet-serving": kubeletServing,
};

export interface CsrSigningOptions extends ControllerOptions {
  /** The signing pair (--cluster-signing-cert-file / --cluster-signing-key-file). */
  ca: { certPem: string; keyPem: string };
}

/** signingDuration + PermissiveSigningPolicy's dates. */
export function certificateDates(now: Date, expirationSeconds: unknown, caNotAfter: Date): { notBefore: Date; notAfter: Date } {
  let ttl = CERT_TTL_MS;
  if (typeof expirationSeconds === "number") ttl = Math.min(CERT_TTL_MS, Math.max(600_000, expirationSeconds * 1000));
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  let notAfter = new Date(now.getTime() + (ttl < SHORT_MS ? ttl : ttl - BACKDATE_MS));
  if (notAfter >= caNotAfter) notAfter = caNotAfter;
  return { notBefore, notAfter };
}

export function startCsrSigningController(opts: CsrSigningOptions): SimComponent {
  const { store, clock } = opts;
  const inFlight = new Set<string>();
  let stopped = false;
  const stamp = () => clock.now().toISOString().replace(/\.\d{3}Z$/, "Z");

  function fail(csr: KubeObject, message: string): void {
    const status = o(csr.status);
    const t = stamp();
    status.conditions = [...list(status.conditions), { type: "Failed", status: "True", reason: "SignerValidationFailure", message, lastUpdateTime: t, lastTransitionTime: t }];
    csr.status = status;
    store.update(CSR, csr, { subresource: "status" });
  }

  function reconcile(name: string): void {
    const csr = store.get(CSR, undefined, name);
    if (!csr || inFlight.has(name)) return;
    const types = list(o(csr.status).conditions).filter((c) => c.status === "True").map((c) => c.type);
    if (!types.includes("Approved") || types.includes("Denied") || types.includes("Failed")) return;
    if (o(csr.status).certificate) return;
    const spec = o(csr.spec);
    const rule = SIGNERS[String(spec.signerName ?? "")];
    if (!rule) return;
    const pem = typeof spec.request === "string" ? Buffer.from(spec.request, "base64") : Buffer.alloc(0);
    let req: ParsedCertificateRequest;
    try {
      req = parseCertificateRequest(pem);
    } catch (err) {
      logger.warn({ err, csr: name }, "sim csrsigning: unable to parse csr");
      return;
    }
    const usages = Array.isArray(spec.usages) ? (spec.usages as unknown[]).map(String) : [];
    const refused = rule(req, usages);
    if (refused) return fail(csr, refused);
    inFlight.add(name);
    const caNotAfter = new Date(new X509Certificate(opts.ca.certPem).validTo);
    const { notBefore, notAfter } = certificateDates(new Date(), spec.expirationSeconds, caNotAfter);
    void signCertificateRequest({ ca: opts.ca, request: req, usages, notBefore, notAfter })
      .then((certPem) => {
        if (stopped) return;
        const cur = store.get(CSR, undefined, name);
        if (!cur || cur.metadata.uid !== csr.metadata.uid || o(cur.status).certificate) return;
        cur.status = { ...o(cur.status), certificate: Buffer.from(certPem).toString("base64") };
        store.update(CSR, cur, { subresource: "status", force: true });
      })
      .catch((err: unknown) => logger.warn({ err, csr: name }, "sim csrsigning: error auto signing csr"))
      .finally(() => inFlight.delete(name));
  }

  const queue = createWorkQueue(clock, "csrsigning", reconcile);
  const stop = store.watch(CSR, {}, (e) => {
    if (e.type !== "DELETED") queue.add(e.object.metadata.name ?? "");
  });
  for (const c of store.list(CSR).items) queue.add(c.metadata.name ?? "");
  return {
    stop() {
      stopped = true;
      stop();
      queue.stop();
    },
  };
}
