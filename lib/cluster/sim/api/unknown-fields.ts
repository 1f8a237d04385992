/**
 * Unknown-field detection for `fieldValidation=Strict|Warn` (kubectl sends Strict; the server
 * default is Warn). A typo such as `spec.replica` or `containers[0].imagee` is the mistake this
 * catches, so it covers the structures learners write by hand — object metadata, pod specs and
 * containers, the workload specs and Services — with their complete v1.32 field lists. Everything
 * else (status, affinity, probes, security contexts, volumes' sources, …) is not checked, rather
 * than risk rejecting a valid field.
 */

type Shape = { fields: string[]; children?: Record<string, Shape>; items?: Record<string, Shape> };

const META: Shape = {
  fields: [
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
  ],
};

const CONTAINER: Shape = {
  fields: [
    "name",
    "image",
    "command",
    "args",
    "workingDir",
    "ports",
    "envFrom",
    "env",
    "resources",
    "resizePolicy",
    "restartPolicy",
    "volumeMounts",
    "volumeDevices",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "imagePullPolicy",
    "securityContext",
    "stdin",
    "stdinOnce",
    "tty",
  ],
  items: {
    ports: { fields: ["name", "hostPort", "containerPort", "protocol", "hostIP"] },
    env: { fields: ["name", "value", "valueFrom"] },
    volumeMounts: { fields: ["name", "readOnly", "recursiveReadOnly", "mountPath", "subPath", "mountPropagation", "subPathExpr"] },
  },
  children: { resources: { fields: ["limits", "requests", "claims"] } },
};

const POD_SPEC: Shape = {
  fields: [
    "volumes",
    "initContainers",
    "containers",
    "ephemeralContainers",
    "restartPolicy",
    "terminationGracePeriodSeconds",
    "activeDeadlineSeconds",
    "dnsPolicy",
    "nodeSelector",
    "serviceAccountName",
    "serviceAccount",
    "automountServiceAccountToken",
    "nodeName",
    "hostNetwork",
    "hostPID",
    "hostIPC",
    "shareProcessNamespace",
    "securityContext",
    "imagePullSecrets",
    "hostname",
    "subdomain",
    "affinity",
    "schedulerName",
    "tolerations",
    "hostAliases",
    "priorityClassName",
    "priority",
    "dnsConfig",
    "readinessGates",
    "runtimeClassName",
    "enableServiceLinks",
    "preemptionPolicy",
    "overhead",
    "topologySpreadConstraints",
    "setHostnameAsFQDN",
    "os",
    "hostUsers",
    "schedulingGates",
    "resourceClaims",
    "resources",
  ],
  items: { containers: CONTAINER, initContainers: CONTAINER },
};

const TEMPLATE: Shape = { fields: ["metadata", "spec"], children: { metadata: META, spec: POD_SPEC } };

function workload(fields: string[]): Shape {
  return { fields, children: { template: TEMPLATE } };
}

const JOB_SPEC_FIELDS = [
  "parallelism",
  "completions",
  "activeDeadlineSeconds",
  "podFailurePolicy",
  "successPolicy",
  "backoffLimit",
  "backoffLimitPerIndex",
  "maxFailedIndexes",
  "selector",
  "manualSelector",
  "template",
  "ttlSecondsAfterFinished",
  "completionMode",
  "suspend",
  "podReplacementPolicy",
  "managedBy",
];

const HPA_SPEC = ["scaleTargetRef", "minReplicas", "maxReplicas"];

/** Keyed by kind, or by "kind/version" where the versions differ (autoscaling/v1 and v2 HPAs). */
const SPECS: Record<string, Shape> = {
  Pod: POD_SPEC,
  LimitRange: { fields: ["limits"], items: { limits: { fields: ["type", "max", "min", "default", "defaultRequest", "maxLimitRequestRatio"] } } },
  ResourceQuota: { fields: ["hard", "scopes", "scopeSelector"] },
  Deployment: workload(["replicas", "selector", "template", "strategy", "minReadySeconds", "revisionHistoryLimit", "paused", "progressDeadlineSeconds"]),
  ReplicaSet: workload(["replicas", "minReadySeconds", "selector", "template"]),
  DaemonSet: workload(["selector", "template", "updateStrategy", "minReadySeconds", "revisionHistoryLimit"]),
  StatefulSet: workload([
    "replicas",
    "selector",
    "template",
    "volumeClaimTemplates",
    "serviceName",
    "podManagementPolicy",
    "updateStrategy",
    "revisionHistoryLimit",
    "minReadySeconds",
    "persistentVolumeClaimRetentionPolicy",
    "ordinals",
  ]),
  Job: workload(JOB_SPEC_FIELDS),
  CronJob: {
    fields: ["schedule", "timeZone", "startingDeadlineSeconds", "concurrencyPolicy", "suspend", "jobTemplate", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"],
    children: { jobTemplate: { fields: ["metadata", "spec"], children: { metadata: META, spec: workload(JOB_SPEC_FIELDS) } } },
  },
  "HorizontalPodAutoscaler/v2": { fields: [...HPA_SPEC, "metrics", "behavior"], children: { scaleTargetRef: { fields: ["kind", "name", "apiVersion"] } } },
  "HorizontalPodAutoscaler/v1": { fields: [...HPA_SPEC, "targetCPUUtilizationPercentage"], children: { scaleTargetRef: { fields: ["kind", "name", "apiVersion"] } } },
  PodDisruptionBudget: { fields: ["minAvailable", "selector", "maxUnavailable", "unhealthyPodEvictionPolicy"] },
  Service: {
    fields: [
      "ports",
      "selector",
      "clusterIP",
      "clusterIPs",
      "type",
      "externalIPs",
      "sessionAffinity",
      "loadBalancerIP",
      "loadBalancerSourceRanges",
      "externalName",
      "externalTrafficPolicy",
      "healthCheckNodePort",
      "publishNotReadyAddresses",
      "sessionAffinityConfig",
      "ipFamilies",
      "ipFamilyPolicy",
      "allocateLoadBalancerNodePorts",
      "loadBalancerClass",
      "internalTrafficPolicy",
      "trafficDistribution",
    ],
    items: { ports: { fields: ["name", "protocol", "appProtocol", "port", "targetPort", "nodePort"] } },
  },
};

const TOP: Record<string, string[]> = {
  Pod: ["spec", "status"],
  Deployment: ["spec", "status"],
  ReplicaSet: ["spec", "status"],
  DaemonSet: ["spec", "status"],
  StatefulSet: ["spec", "status"],
  Job: ["spec", "status"],
  CronJob: ["spec", "status"],
  HorizontalPodAutoscaler: ["spec", "status"],
  PodDisruptionBudget: ["spec", "status"],
  Service: ["spec", "status"],
  Namespace: ["spec", "status"],
  ConfigMap: ["data", "binaryData", "immutable"],
  Secret: ["data", "stringData", "type", "immutable"],
  ServiceAccount: ["secrets", "imagePullSecrets", "automountServiceAccountToken"],
  Role: ["rules"],
  ClusterRole: ["rules", "aggregationRule"],
  RoleBinding: ["subjects", "roleRef"],
  ClusterRoleBinding: ["subjects", "roleRef"],
  LimitRange: ["spec"],
  ResourceQuota: ["spec", "status"],
  StorageClass: ["provisioner", "parameters", "reclaimPolicy", "mountOptions", "allowVolumeExpansion", "volumeBindingMode", "allowedTopologies"],
};

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => typeof v === "object" && v !== null && !Array.isArray(v);

function walk(v: unknown, shape: Shape, path: string, out: string[]): void {
  if (!isObj(v)) return;
  for (const [k, child] of Object.entries(v)) {
    const p = path ? `${path}.${k}` : k;
    if (!shape.fields.includes(k)) {
      out.push(p);
      continue;
    }
    const sub = shape.children?.[k];
    if (sub) walk(child, sub, p, out);
    const item = shape.items?.[k];
    if (item && Array.isArray(child)) child.forEach((c, i) => walk(c, item, `${p}[${i}]`, out));
  }
}

/** Paths of unknown fields, as the apiserver names them ("spec.replica", "spec.template.spec.containers[0].imagee"). */
export function unknownFields(kind: string, obj: unknown, version?: string): string[] {
  const top = TOP[kind];
  if (!top || !isObj(obj)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (k === "apiVersion" || k === "kind") continue;
    if (k === "metadata") walk(v, META, "metadata", out);
    else if (!top.includes(k)) out.push(k);
    else if (k === "spec") {
      const shape = SPECS[`${kind}/${version}`] ?? SPECS[kind];
      if (shape) walk(v, shape, "spec", out);
    }
  }
  return out;
}
