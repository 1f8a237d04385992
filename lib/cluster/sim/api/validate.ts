import type { ResourceType } from "../store/resource-types";
import { matchesLabels, selectorFromObject, type LabelSelectorObject } from "../store/selectors";
import { invalid, type StatusCause } from "../store/status-error";
import type { KubeObject } from "../store/types";
import { validationCauses } from "./admission/admission-chain";
import { validateEverydayWorkload } from "./everyday-workload-validation";
import { CSR_KEY, csrCauses, csrUpdateCauses } from "./certificates/csr-strategy";

/**
 * The validation errors a learner is most likely to meet, with the apiserver's own wording
 * (Invalid, 422, with field causes). It is not the full validation of k8s.io/kubernetes; the
 * fidelity doc lists what is checked.
 */

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

type J = Record<string, unknown>;
const o = (v: unknown): J => (v && typeof v === "object" && !Array.isArray(v) ? (v as J) : {});
const list = (v: unknown): J[] => (Array.isArray(v) ? (v as unknown[]).map(o) : []);

/** Kinds whose names must be DNS labels rather than subdomains. */
const LABEL_NAMED = new Set(["namespaces", "services"]);

/** JSON with object keys sorted at every level, so equal values compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const e = Object.entries(v as J).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${e.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

function goMap(m: J): string {
  return `map[string]string{${Object.entries(m)
    .map(([k, v]) => `"${k}":"${String(v)}"`)
    .join(", ")}}`;
}

function validatePodSpec(spec: J, prefix: string, causes: StatusCause[]): void {
  const containers = list(spec.containers);
  if (!containers.length) causes.push({ reason: "FieldValueRequired", message: "Required value", field: `${prefix}.containers` });
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const f = `${prefix}.containers[${i}]`;
    if (!c.name) causes.push({ reason: "FieldValueRequired", message: "Required value", field: `${f}.name` });
    else if (!DNS1123_LABEL.test(String(c.name))) {
      causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "${String(c.name)}": ${LABEL_MSG}`, field: `${f}.name` });
    } else if (names.has(String(c.name))) {
      causes.push({ reason: "FieldValueDuplicate", message: `Duplicate value: "${String(c.name)}"`, field: `${f}.name` });
    }
    names.add(String(c.name ?? ""));
    if (!c.image) causes.push({ reason: "FieldValueRequired", message: "Required value", field: `${f}.image` });
  });
  const rp = spec.restartPolicy;
  if (rp !== undefined && !["Always", "OnFailure", "Never"].includes(String(rp))) {
    causes.push({
      reason: "FieldValueNotSupported",
      message: `Unsupported value: "${String(rp)}": supported values: "Always", "OnFailure", "Never"`,
      field: `${prefix}.restartPolicy`,
    });
  }
}

/** Throws the real Invalid Status when `obj` would be rejected. */
export function validateObject(rt: ResourceType, key: string, obj: KubeObject): void {
  const causes: StatusCause[] = [];
  const name = obj.metadata.name ?? "";
  // CertificateSigningRequest names are not validated (ValidateCertificateRequestName accepts any).
  if (name && key !== CSR_KEY) {
    const re = LABEL_NAMED.has(key) ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
    if (!re.test(name) || name.length > 253) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: "${name}": ${LABEL_NAMED.has(key) ? LABEL_MSG : SUBDOMAIN_MSG}`,
        field: "metadata.name",
      });
    }
  }
  const spec = o(obj.spec);
  switch (key) {
    case "pods":
      validatePodSpec(spec, "spec", causes);
      break;
    case "deployments.apps":
    case "replicasets.apps":
    case "daemonsets.apps":
    case "statefulsets.apps": {
      const tplMeta = o(o(spec.template).metadata);
      const labels = o(tplMeta.labels) as Record<string, string>;
      if (!spec.selector) causes.push({ reason: "FieldValueRequired", message: "Required value", field: "spec.selector" });
      else {
        const sel = selectorFromObject(spec.selector as LabelSelectorObject);
        if (!sel.length) causes.push({ reason: "FieldValueInvalid", message: "Invalid value: \"null\": empty selector is invalid for deployment", field: "spec.selector" });
        else if (!matchesLabels(sel, labels)) {
          causes.push({
            reason: "FieldValueInvalid",
            message: `Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\``,
            field: "spec.template.metadata.labels",
          });
        }
      }
      validatePodSpec(o(o(spec.template).spec), "spec.template.spec", causes);
      const replicas = spec.replicas;
      if (typeof replicas === "number" && replicas < 0) {
        causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${replicas}: must be greater than or equal to 0`, field: "spec.replicas" });
      }
      break;
    }
    case "jobs.batch": {
      const tspec = o(o(spec.template).spec);
      validatePodSpec(tspec, "spec.template.spec", causes);
      if (tspec.restartPolicy === "Always" || tspec.restartPolicy === undefined) {
        causes.push({
          reason: "FieldValueNotSupported",
          message: `Unsupported value: "${String(tspec.restartPolicy ?? "Always")}": supported values: "OnFailure", "Never"`,
          field: "spec.template.spec.restartPolicy",
        });
      }
      break;
    }
    case "cronjobs.batch":
    case "horizontalpodautoscalers.autoscaling":
    case "poddisruptionbudgets.policy":
      validateEverydayWorkload(key, obj, causes, validatePodSpec);
      break;
    case CSR_KEY:
      causes.push(...csrCauses(obj));
      break;
    case "services": {
      const ports = list(spec.ports);
      if (!ports.length && spec.clusterIP !== "None" && spec.type !== "ExternalName") {
        causes.push({ reason: "FieldValueRequired", message: "Required value", field: "spec.ports" });
      }
      ports.forEach((p, i) => {
        if (p.port === undefined) causes.push({ reason: "FieldValueRequired", message: "Required value", field: `spec.ports[${i}].port` });
        if (ports.length > 1 && !p.name) causes.push({ reason: "FieldValueRequired", message: "Required value", field: `spec.ports[${i}].name` });
      });
      break;
    }
  }
  causes.push(...validationCauses(key, obj));
  if (causes.length) throw invalid(rt, name, causes);
}

/** Fields that cannot change on update, with the apiserver's messages. */
export function validateUpdate(rt: ResourceType, key: string, next: KubeObject, cur: KubeObject): void {
  if (key === CSR_KEY) {
    const csr = csrUpdateCauses(next, cur, "update");
    if (csr.length) throw invalid(rt, next.metadata.name ?? "", csr);
    return;
  }
  const causes: StatusCause[] = [];
  const ns = o(next.spec);
  const cs = o(cur.spec);
  if (key === "deployments.apps" || key === "replicasets.apps" || key === "daemonsets.apps" || key === "statefulsets.apps" || key === "jobs.batch") {
    if (JSON.stringify(ns.selector) !== JSON.stringify(cs.selector)) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: v1.LabelSelector{MatchLabels:${goMap(o(o(ns.selector).matchLabels))}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable`,
        field: "spec.selector",
      });
    }
  }
  if (key === "pods") {
    const strip = (s: J) => {
      const c = structuredClone(s);
      for (const k of ["activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds", "nodeName", "schedulingGates"]) delete c[k];
      for (const ctr of [...list(c.containers), ...list(c.initContainers)]) delete ctr.image;
      return JSON.stringify(c);
    };
    if (strip(ns) !== strip(cs)) {
      causes.push({
        reason: "FieldValueForbidden",
        message:
          "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
        field: "spec",
      });
    }
  }
  if (key === "persistentvolumeclaims") {
    // ValidatePersistentVolumeClaimUpdate: the binder may set volumeName once, a bound claim's storage
    // request may grow, and a claim without a class may get one (retroactive default class).
    const strip = (s: J, bound: boolean) => {
      const c = structuredClone(s);
      if (!cs.volumeName) delete c.volumeName;
      if (cs.storageClassName === undefined || cs.storageClassName === null) delete c.storageClassName;
      delete c.volumeAttributesClassName;
      if (bound) {
        const req = o(o(c.resources).requests);
        delete req.storage;
      }
      return canonical(c);
    };
    const bound = o(cur.status).phase === "Bound";
    if (strip(ns, bound) !== strip(cs, bound)) {
      causes.push({
        reason: "FieldValueForbidden",
        message: "Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
        field: "spec",
      });
    }
  }
  if (causes.length) {
    validateObject(rt, key, next);
    throw invalid(rt, next.metadata.name ?? "", causes);
  }
  validateObject(rt, key, next);
}
