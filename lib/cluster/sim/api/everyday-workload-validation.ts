import type { StatusCause } from "../store/status-error";
import type { KubeObject } from "../store/types";
import { isKnownTimeZone, parseSchedule } from "./cron-schedule";

/**
 * Validation of CronJobs (pkg/apis/batch/validation), HorizontalPodAutoscalers
 * (pkg/apis/autoscaling/validation) and PodDisruptionBudgets (pkg/apis/policy/validation): the
 * mistakes people make by hand, with the apiserver's messages.
 */

type J = Record<string, unknown>;
const o = (v: unknown): J => (v && typeof v === "object" && !Array.isArray(v) ? (v as J) : {});

/** How field.Invalid prints a value: strings quoted (%q), numbers bare. */
function goValue(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

function nonNegative(v: unknown, field: string, causes: StatusCause[]): void {
  if (typeof v === "number" && v < 0) causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${v}: must be greater than or equal to 0`, field });
}

const PERCENT = /^[0-9]+%$/;

/** appsvalidation.ValidatePositiveIntOrPercent + IsNotMoreThan100Percent. */
function intOrPercent(v: unknown, field: string, causes: StatusCause[]): void {
  if (typeof v === "number") return nonNegative(v, field, causes);
  if (typeof v !== "string") return;
  if (!PERCENT.test(v)) {
    causes.push({
      reason: "FieldValueInvalid",
      message: `Invalid value: ${goValue(v)}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
      field,
    });
  } else if (Number(v.slice(0, -1)) > 100) {
    causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${goValue(v)}: must not be greater than 100%`, field });
  }
}

function validateCronJob(obj: KubeObject, causes: StatusCause[], validatePodSpec: PodSpecValidator): void {
  const spec = o(obj.spec);
  const name = obj.metadata.name ?? "";
  // The controller appends "-<minutes>" (11 characters) and Job names are at most 63.
  if (name.length > 52) causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${goValue(name)}: must be no more than 52 characters`, field: "metadata.name" });
  const schedule = typeof spec.schedule === "string" ? spec.schedule : "";
  const tz = typeof spec.timeZone === "string" ? spec.timeZone : undefined;
  if (!schedule) causes.push({ reason: "FieldValueRequired", message: "Required value", field: "spec.schedule" });
  else {
    const parsed = parseSchedule(schedule);
    if (!parsed.ok) causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${goValue(schedule)}: ${parsed.error}`, field: "spec.schedule" });
    if (tz !== undefined && schedule.includes("TZ")) {
      causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${goValue(schedule)}: cannot use both timeZone field and TZ or CRON_TZ in schedule`, field: "spec.schedule" });
    } else if (schedule.includes("TZ")) {
      causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${goValue(schedule)}: cannot use TZ or CRON_TZ in schedule, use timeZone field instead`, field: "spec.schedule" });
    }
  }
  nonNegative(spec.startingDeadlineSeconds, "spec.startingDeadlineSeconds", causes);
  if (tz !== undefined) {
    if (!tz) causes.push({ reason: "FieldValueInvalid", message: `Invalid value: "": timeZone must be nil or non-empty string`, field: "spec.timeZone" });
    else if (tz.toLowerCase() === "local") {
      causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${goValue(tz)}: timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones`, field: "spec.timeZone" });
    } else if (!isKnownTimeZone(tz)) causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${goValue(tz)}: unknown time zone ${tz}`, field: "spec.timeZone" });
  }
  const cp = spec.concurrencyPolicy;
  if (cp === "" || cp === undefined) causes.push({ reason: "FieldValueRequired", message: "Required value", field: "spec.concurrencyPolicy" });
  else if (!["Allow", "Forbid", "Replace"].includes(String(cp))) {
    causes.push({ reason: "FieldValueNotSupported", message: `Unsupported value: ${goValue(cp)}: supported values: "Allow", "Forbid", "Replace"`, field: "spec.concurrencyPolicy" });
  }
  const jobSpec = o(o(spec.jobTemplate).spec);
  const podSpec = o(o(jobSpec.template).spec);
  validatePodSpec(podSpec, "spec.jobTemplate.spec.template.spec", causes);
  if (podSpec.restartPolicy !== "OnFailure" && podSpec.restartPolicy !== "Never") {
    causes.push({
      reason: "FieldValueNotSupported",
      message: `Unsupported value: "${String(podSpec.restartPolicy ?? "Always")}": supported values: "OnFailure", "Never"`,
      field: "spec.jobTemplate.spec.template.spec.restartPolicy",
    });
  }
  nonNegative(spec.successfulJobsHistoryLimit, "spec.successfulJobsHistoryLimit", causes);
  nonNegative(spec.failedJobsHistoryLimit, "spec.failedJobsHistoryLimit", causes);
}

function validateHpa(obj: KubeObject, causes: StatusCause[]): void {
  const spec = o(obj.spec);
  const ref = o(spec.scaleTargetRef);
  if (!ref.kind) causes.push({ reason: "FieldValueRequired", message: "Required value", field: "spec.scaleTargetRef.kind" });
  if (!ref.name) causes.push({ reason: "FieldValueRequired", message: "Required value", field: "spec.scaleTargetRef.name" });
  const min = spec.minReplicas;
  const max = spec.maxReplicas;
  if (typeof min === "number" && min < 1) causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${min}: must be greater than or equal to 1`, field: "spec.minReplicas" });
  if (typeof max !== "number" || max < 1) causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${Number(max ?? 0)}: must be greater than 0`, field: "spec.maxReplicas" });
  else if (typeof min === "number" && min > max) {
    causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${max}: must be greater than or equal to \`minReplicas\``, field: "spec.maxReplicas" });
  }
  (Array.isArray(spec.metrics) ? (spec.metrics as unknown[]) : []).forEach((m, i) => {
    const metric = o(m);
    if (metric.type !== "Resource") return;
    const res = o(metric.resource);
    const f = `spec.metrics[${i}].resource`;
    if (!res.name) causes.push({ reason: "FieldValueRequired", message: "Required value: must specify a resource name", field: `${f}.name` });
    const target = o(res.target);
    if (typeof target.averageUtilization === "number" && target.averageUtilization <= 0) {
      causes.push({ reason: "FieldValueInvalid", message: `Invalid value: ${target.averageUtilization}: must be greater than 0`, field: `${f}.target.averageUtilization` });
    }
  });
}

function validatePdb(obj: KubeObject, causes: StatusCause[]): void {
  const spec = o(obj.spec);
  const hasMin = spec.minAvailable !== undefined && spec.minAvailable !== null;
  const hasMax = spec.maxUnavailable !== undefined && spec.maxUnavailable !== null;
  if (hasMin && hasMax) {
    // The real message prints the Go struct (with pointers); the reason text is the same.
    causes.push({ reason: "FieldValueInvalid", message: "Invalid value: policy.PodDisruptionBudgetSpec{...}: minAvailable and maxUnavailable cannot be both set", field: "spec" });
  }
  if (hasMin) intOrPercent(spec.minAvailable, "spec.minAvailable", causes);
  if (hasMax) intOrPercent(spec.maxUnavailable, "spec.maxUnavailable", causes);
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && policy !== "IfHealthyBudget" && policy !== "AlwaysAllow") {
    causes.push({ reason: "FieldValueNotSupported", message: `Unsupported value: ${goValue(policy)}: supported values: "AlwaysAllow", "IfHealthyBudget"`, field: "spec.unhealthyPodEvictionPolicy" });
  }
}

export type PodSpecValidator = (spec: J, prefix: string, causes: StatusCause[]) => void;

/** Adds the causes for a CronJob, HPA or PDB (by storage key); other kinds are left alone. */
export function validateEverydayWorkload(key: string, obj: KubeObject, causes: StatusCause[], validatePodSpec: PodSpecValidator): void {
  if (key === "cronjobs.batch") validateCronJob(obj, causes, validatePodSpec);
  else if (key === "horizontalpodautoscalers.autoscaling") validateHpa(obj, causes);
  else if (key === "poddisruptionbudgets.policy") validatePdb(obj, causes);
}
