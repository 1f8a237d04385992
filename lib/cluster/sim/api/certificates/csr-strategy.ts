import { parseCertificateRequest } from "../../pki/certificate-request";
import { forbidden, type StatusCause } from "../../store/status-error";
import type { KubeObject } from "../../store/types";
import type { User } from "../handlers/request-scope";

/**
 * certificates.k8s.io/v1 CertificateSigningRequest as the apiserver's registry treats it
 * (pkg/registry/certificates/certificates/strategy.go and pkg/apis/certificates/validation): the
 * requester's identity is written into the spec on create, the spec never changes afterwards,
 * Approved/Denied come only through `/approval`, the certificate only through `/status`.
 */

export const CSR_KEY = "certificatesigningrequests.certificates.k8s.io";

type J = Record<string, unknown>;
const o = (v: unknown): J => (v && typeof v === "object" && !Array.isArray(v) ? (v as J) : {});
const list = (v: unknown): J[] => (Array.isArray(v) ? (v as unknown[]).map(o) : []);

const ALL_USAGES = [
  "any",
  "cert sign",
  "client auth",
  "code signing",
  "content commitment",
  "crl sign",
  "data encipherment",
  "decipher only",
  "digital signature",
  "email protection",
  "encipher only",
  "ipsec end system",
  "ipsec tunnel",
  "ipsec user",
  "key agreement",
  "key encipherment",
  "microsoft sgc",
  "netscape sgc",
  "ocsp signing",
  "s/mime",
  "server auth",
  "signing",
  "timestamping",
];

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Go's %#v of a []byte, which field.Invalid prints for spec.request. */
function goBytes(b: Buffer | null): string {
  if (b === null || b.length === 0) return b === null ? "[]byte(nil)" : "[]byte{}";
  return `[]byte{${[...b].map((x) => `0x${x.toString(16)}`).join(", ")}}`;
}

/** The request's PEM bytes, or null when absent (the JSON field is base64 of the PEM). */
export function requestBytes(csr: KubeObject): Buffer | null {
  const r = o(csr.spec).request;
  return typeof r === "string" && r.length ? Buffer.from(r, "base64") : null;
}

/** PrepareForCreate: the spec's identity is the caller's; status starts empty. */
export function prepareCsrForCreate(csr: KubeObject, user: User): void {
  const spec = o(csr.spec);
  csr.spec = spec;
  delete spec.username;
  delete spec.uid;
  delete spec.groups;
  delete spec.extra;
  spec.username = user.name;
  if (user.uid) spec.uid = user.uid;
  if (user.groups.length) spec.groups = [...user.groups];
  csr.status = {};
}

/**
 * The CertificateSubjectRestriction admission plugin (on by default): nobody gets a
 * system:masters certificate through the kube-apiserver-client signer.
 */
export function admitCsr(csr: KubeObject): void {
  const spec = o(csr.spec);
  if (spec.signerName !== "kubernetes.io/kube-apiserver-client") return;
  const pem = requestBytes(csr);
  if (!pem) return;
  try {
    const req = parseCertificateRequest(pem);
    if (req.organizations.includes("system:masters")) {
      throw forbidden(
        `certificatesigningrequests.certificates.k8s.io "${csr.metadata.name ?? ""}" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed`,
      );
    }
  } catch (e) {
    if (e instanceof Error && e.name === "StatusError") throw e;
    // An unparsable request is validation's to report.
  }
}

function signerNameCauses(signerName: string): StatusCause[] {
  const field = "spec.signerName";
  if (!signerName) return [{ reason: "FieldValueRequired", message: "Required value: signerName must be provided", field }];
  const segments = signerName.split("/");
  if (segments.length !== 2) {
    return [{ reason: "FieldValueInvalid", message: `Invalid value: "${signerName}": must be a fully qualified domain and path of the form 'example.com/signer-name'`, field }];
  }
  const causes: StatusCause[] = [];
  const [domain, path] = segments as [string, string];
  const labels = domain.split(".");
  for (const l of labels) {
    if (!DNS1123_LABEL.test(l) || l.length > 63) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: "${domain}": validating label "${l}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
        field,
      });
      break;
    }
  }
  if (labels.length < 2) causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "${domain}": should be a domain with at least two segments separated by dots`, field });
  for (const l of path.split(".")) {
    if (!DNS1123_SUBDOMAIN.test(l) || l.length > 253) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: "${path}": validating label "${l}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
        field,
      });
      break;
    }
  }
  return causes;
}

function conditionCauses(csr: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  const oldTypes = list(o(old?.status).conditions).map((c) => c.type);
  const allowBoth = oldTypes.includes("Approved") && oldTypes.includes("Denied");
  list(o(csr.status).conditions).forEach((c, i) => {
    const f = `status.conditions[${i}]`;
    const type = typeof c.type === "string" ? c.type : "";
    if (!type) causes.push({ reason: "FieldValueRequired", message: "Required value", field: `${f}.type` });
    const trueOnly = ["Approved", "Denied", "Failed"].includes(type);
    const allowed = trueOnly ? ["True"] : ["False", "True", "Unknown"];
    if (!c.status) causes.push({ reason: "FieldValueRequired", message: "Required value", field: `${f}.status` });
    else if (!allowed.includes(String(c.status))) {
      causes.push({
        reason: "FieldValueNotSupported",
        message: `Unsupported value: "${String(c.status)}": supported values: ${allowed.map((a) => `"${a}"`).join(", ")}`,
        field: `${f}.status`,
      });
    }
    if (!allowBoth) {
      if (type === "Approved") {
        approved = true;
        if (denied) causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "Approved": Approved and Denied conditions are mutually exclusive`, field: `${f}.type` });
      } else if (type === "Denied") {
        denied = true;
        if (approved) causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "Denied": Approved and Denied conditions are mutually exclusive`, field: `${f}.type` });
      }
    }
    if (seen.has(type)) causes.push({ reason: "FieldValueDuplicate", message: `Duplicate value: "${type}"`, field: `${f}.type` });
    seen.add(type);
  });
  return causes;
}

/** validateCertificateSigningRequest: the request, usages, signer name, duration and conditions. */
export function csrCauses(csr: KubeObject, old?: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = o(csr.spec);
  const pem = requestBytes(csr);
  try {
    if (!pem) throw new Error("PEM block type must be CERTIFICATE REQUEST");
    parseCertificateRequest(pem);
  } catch (e) {
    causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${goBytes(pem)}: ${(e as Error).message}`, field: "spec.request" });
  }
  const usages = Array.isArray(spec.usages) ? (spec.usages as unknown[]).map(String) : [];
  if (!usages.length) causes.push({ reason: "FieldValueRequired", message: "Required value: usages must be provided", field: "spec.usages" });
  const oldUsages = Array.isArray(o(old?.spec).usages) ? (o(old?.spec).usages as unknown[]).map(String) : [];
  const allowUnknown = oldUsages.some((u) => !ALL_USAGES.includes(u));
  const seen = new Set<string>();
  usages.forEach((u, i) => {
    if (!allowUnknown && !ALL_USAGES.includes(u)) {
      causes.push({
        reason: "FieldValueNotSupported",
        message: `Unsupported value: "${u}": supported values: ${ALL_USAGES.map((a) => `"${a}"`).join(", ")}`,
        field: `spec.usages[${i}]`,
      });
    }
    if (seen.has(u)) causes.push({ reason: "FieldValueDuplicate", message: `Duplicate value: "${u}"`, field: `spec.usages[${i}]` });
    seen.add(u);
  });
  const signerName = typeof spec.signerName === "string" ? spec.signerName : "";
  if (signerName === "kubernetes.io/legacy-unknown" && o(old?.spec).signerName !== signerName) {
    causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "${signerName}": the legacy signerName is not allowed via this API version`, field: "spec.signerName" });
  } else causes.push(...signerNameCauses(signerName));
  const exp = spec.expirationSeconds;
  if (typeof exp === "number" && exp < 600) {
    causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${exp}: may not specify a duration less than 600 seconds (10 minutes)`, field: "spec.expirationSeconds" });
  }
  causes.push(...conditionCauses(csr, old));
  return causes;
}

export type CsrWrite = "update" | "status" | "approval";

/**
 * PrepareForUpdate of the three strategies: the spec is always the stored one; a plain update
 * keeps the stored status; `/status` keeps the approval conditions; `/approval` keeps the
 * certificate. Condition timestamps are filled in, as populateConditionTimestamps does.
 */
export function prepareCsrForUpdate(next: KubeObject, cur: KubeObject, write: CsrWrite, now: string): void {
  next.spec = structuredClone(cur.spec);
  const curStatus = o(cur.status);
  if (write === "update") {
    next.status = structuredClone(cur.status);
    return;
  }
  const status = o(structuredClone(next.status));
  const oldConds = list(curStatus.conditions);
  if (write === "status") {
    // Approval conditions are not the status writer's to change.
    const mine = list(status.conditions).filter((c) => c.type !== "Approved" && c.type !== "Denied");
    status.conditions = [...oldConds.filter((c) => c.type === "Approved" || c.type === "Denied"), ...mine];
  } else {
    if (curStatus.certificate !== undefined) status.certificate = curStatus.certificate;
    else delete status.certificate;
  }
  for (const c of list(status.conditions)) {
    const before = oldConds.find((x) => x.type === c.type);
    if (!c.lastUpdateTime) c.lastUpdateTime = now;
    if (!c.lastTransitionTime) c.lastTransitionTime = before && before.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : now;
  }
  if (!list(status.conditions).length) delete status.conditions;
  next.status = status;
}

/** validateCertificateSigningRequestUpdate's extra rules for each kind of write. */
export function csrUpdateCauses(next: KubeObject, cur: KubeObject, write: CsrWrite): StatusCause[] {
  const causes = csrCauses(next, cur);
  const conds = (x: KubeObject, t: string) => list(o(x.status).conditions).filter((c) => c.type === t);
  for (const t of ["Approved", "Denied", "Failed"]) {
    if (conds(next, t).length < conds(cur, t).length) {
      causes.push({ reason: "FieldValueForbidden", message: `Forbidden: updates may not remove a condition of type "${t}"`, field: "status.conditions" });
    }
  }
  if (write !== "approval") {
    for (const t of ["Approved", "Denied"]) {
      const a = conds(cur, t);
      const b = conds(next, t);
      if (b.length > a.length) causes.push({ reason: "FieldValueForbidden", message: `Forbidden: updates may not add a condition of type "${t}"`, field: "status.conditions" });
    }
  }
  const oldCert = o(cur.status).certificate;
  const newCert = o(next.status).certificate;
  if ((oldCert ?? "") !== (newCert ?? "")) {
    if (write !== "status") causes.push({ reason: "FieldValueForbidden", message: "Forbidden: updates may not set certificate content", field: "status.certificate" });
    else if (oldCert) causes.push({ reason: "FieldValueForbidden", message: "Forbidden: updates may not modify existing certificate content", field: "status.certificate" });
  }
  return causes;
}
