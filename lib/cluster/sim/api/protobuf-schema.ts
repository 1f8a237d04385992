/**
 * Protobuf field numbers of the built-in types that kubectl 1.32 sends as
 * `application/vnd.kubernetes.protobuf` (its typed clients: create, run, expose, drain's
 * evictions, auth can-i). Field numbers are the wire contract of k8s.io/api's generated.proto;
 * only the messages and fields those commands produce are listed, and the decoder rejects
 * anything else loudly instead of guessing. Each field: [jsonName, type, repeated?].
 * Types: scalar names, "map" (string→string), "bytesMap" (string→base64), "quantityMap",
 * or another message name.
 */

export type FieldType =
  | "string"
  | "int32"
  | "int64"
  | "bool"
  | "bytes"
  | "double"
  | "map"
  | "bytesMap"
  | "quantityMap"
  | "Time"
  | "IntOrString"
  | "Quantity"
  | "Skip"
  | "Unsupported";

export type FieldSpec = [name: string, type: FieldType | string, repeated?: true];

export type MessageSchema = Record<number, FieldSpec>;

const R = true as const;

export const PROTO_MESSAGES: Record<string, MessageSchema> = {
  // k8s.io/apimachinery meta/v1
  ObjectMeta: {
    1: ["name", "string"],
    2: ["generateName", "string"],
    3: ["namespace", "string"],
    4: ["selfLink", "string"],
    5: ["uid", "string"],
    6: ["resourceVersion", "string"],
    7: ["generation", "int64"],
    8: ["creationTimestamp", "Time"],
    9: ["deletionTimestamp", "Time"],
    10: ["deletionGracePeriodSeconds", "int64"],
    11: ["labels", "map"],
    12: ["annotations", "map"],
    13: ["ownerReferences", "OwnerReference", R],
    14: ["finalizers", "string", R],
    17: ["managedFields", "Skip", R],
  },
  OwnerReference: {
    1: ["kind", "string"],
    3: ["name", "string"],
    4: ["uid", "string"],
    5: ["apiVersion", "string"],
    6: ["controller", "bool"],
    7: ["blockOwnerDeletion", "bool"],
  },
  LabelSelector: { 1: ["matchLabels", "map"], 2: ["matchExpressions", "LabelSelectorRequirement", R] },
  LabelSelectorRequirement: { 1: ["key", "string"], 2: ["operator", "string"], 3: ["values", "string", R] },
  DeleteOptions: {
    1: ["gracePeriodSeconds", "int64"],
    2: ["preconditions", "Preconditions"],
    3: ["orphanDependents", "bool"],
    4: ["propagationPolicy", "string"],
    5: ["dryRun", "string", R],
  },
  Preconditions: { 1: ["uid", "string"], 2: ["resourceVersion", "string"] },

  // core/v1
  ConfigMap: { 1: ["metadata", "ObjectMeta"], 2: ["data", "map"], 3: ["binaryData", "bytesMap"], 4: ["immutable", "bool"] },
  Secret: { 1: ["metadata", "ObjectMeta"], 2: ["data", "bytesMap"], 3: ["type", "string"], 4: ["stringData", "map"], 5: ["immutable", "bool"] },
  Namespace: { 1: ["metadata", "ObjectMeta"], 2: ["spec", "NamespaceSpec"], 3: ["status", "Empty"] },
  NamespaceSpec: { 1: ["finalizers", "string", R] },
  ServiceAccount: {
    1: ["metadata", "ObjectMeta"],
    2: ["secrets", "ObjectReference", R],
    3: ["imagePullSecrets", "LocalObjectReference", R],
    4: ["automountServiceAccountToken", "bool"],
  },
  LocalObjectReference: { 1: ["name", "string"] },
  ObjectReference: {
    1: ["kind", "string"],
    2: ["namespace", "string"],
    3: ["name", "string"],
    4: ["uid", "string"],
    5: ["apiVersion", "string"],
    6: ["resourceVersion", "string"],
    7: ["fieldPath", "string"],
  },
  Binding: { 1: ["metadata", "ObjectMeta"], 2: ["target", "ObjectReference"] },
  Service: { 1: ["metadata", "ObjectMeta"], 2: ["spec", "ServiceSpec"], 3: ["status", "ServiceStatus"] },
  ServiceStatus: { 1: ["loadBalancer", "LoadBalancerStatus"] },
  LoadBalancerStatus: {},
  ServiceSpec: {
    1: ["ports", "ServicePort", R],
    2: ["selector", "map"],
    3: ["clusterIP", "string"],
    4: ["type", "string"],
    5: ["externalIPs", "string", R],
    7: ["sessionAffinity", "string"],
    8: ["loadBalancerIP", "string"],
    9: ["loadBalancerSourceRanges", "string", R],
    10: ["externalName", "string"],
    11: ["externalTrafficPolicy", "string"],
    12: ["healthCheckNodePort", "int32"],
    13: ["publishNotReadyAddresses", "bool"],
    17: ["ipFamilies", "string", R],
    18: ["clusterIPs", "string", R],
    19: ["ipFamilyPolicy", "string"],
    20: ["allocateLoadBalancerNodePorts", "bool"],
    21: ["loadBalancerClass", "string"],
    22: ["internalTrafficPolicy", "string"],
  },
  ServicePort: {
    1: ["name", "string"],
    2: ["protocol", "string"],
    3: ["port", "int32"],
    4: ["targetPort", "IntOrString"],
    5: ["nodePort", "int32"],
    6: ["appProtocol", "string"],
  },
  Pod: { 1: ["metadata", "ObjectMeta"], 2: ["spec", "PodSpec"], 3: ["status", "PodStatus"] },
  PodStatus: {},
  PodTemplateSpec: { 1: ["metadata", "ObjectMeta"], 2: ["spec", "PodSpec"] },
  PodSpec: {
    1: ["volumes", "Unsupported", R],
    2: ["containers", "Container", R],
    3: ["restartPolicy", "string"],
    4: ["terminationGracePeriodSeconds", "int64"],
    5: ["activeDeadlineSeconds", "int64"],
    6: ["dnsPolicy", "string"],
    7: ["nodeSelector", "map"],
    8: ["serviceAccountName", "string"],
    9: ["serviceAccount", "string"],
    10: ["nodeName", "string"],
    11: ["hostNetwork", "bool"],
    12: ["hostPID", "bool"],
    13: ["hostIPC", "bool"],
    14: ["securityContext", "Empty"],
    15: ["imagePullSecrets", "LocalObjectReference", R],
    16: ["hostname", "string"],
    17: ["subdomain", "string"],
    19: ["schedulerName", "string"],
    20: ["initContainers", "Container", R],
    21: ["automountServiceAccountToken", "bool"],
    22: ["tolerations", "Toleration", R],
    24: ["priorityClassName", "string"],
    25: ["priority", "int32"],
    30: ["enableServiceLinks", "bool"],
  },
  Empty: {},
  Container: {
    1: ["name", "string"],
    2: ["image", "string"],
    3: ["command", "string", R],
    4: ["args", "string", R],
    5: ["workingDir", "string"],
    6: ["ports", "ContainerPort", R],
    7: ["env", "EnvVar", R],
    8: ["resources", "ResourceRequirements"],
    9: ["volumeMounts", "VolumeMount", R],
    13: ["terminationMessagePath", "string"],
    14: ["imagePullPolicy", "string"],
    16: ["stdin", "bool"],
    17: ["stdinOnce", "bool"],
    18: ["tty", "bool"],
    20: ["terminationMessagePolicy", "string"],
  },
  ContainerPort: { 1: ["name", "string"], 2: ["hostPort", "int32"], 3: ["containerPort", "int32"], 4: ["protocol", "string"], 5: ["hostIP", "string"] },
  EnvVar: { 1: ["name", "string"], 2: ["value", "string"] },
  VolumeMount: { 1: ["name", "string"], 2: ["readOnly", "bool"], 3: ["mountPath", "string"], 4: ["subPath", "string"] },
  ResourceRequirements: { 1: ["limits", "quantityMap"], 2: ["requests", "quantityMap"] },
  Toleration: { 1: ["key", "string"], 2: ["operator", "string"], 3: ["value", "string"], 4: ["effect", "string"], 5: ["tolerationSeconds", "int64"] },
  ResourceQuota: { 1: ["metadata", "ObjectMeta"], 2: ["spec", "ResourceQuotaSpec"], 3: ["status", "ResourceQuotaStatus"] },
  ResourceQuotaSpec: { 1: ["hard", "quantityMap"], 2: ["scopes", "string", R], 3: ["scopeSelector", "ScopeSelector"] },
  ResourceQuotaStatus: { 1: ["hard", "quantityMap"], 2: ["used", "quantityMap"] },
  ScopeSelector: { 1: ["matchExpressions", "ScopedResourceSelectorRequirement", R] },
  ScopedResourceSelectorRequirement: { 1: ["scopeName", "string"], 2: ["operator", "string"], 3: ["values", "string", R] },

  // apps/v1
  Deployment: { 1: ["metadata", "ObjectMeta"], 2: ["spec", "DeploymentSpec"], 3: ["status", "Empty"] },
  DeploymentSpec: {
    1: ["replicas", "int32"],
    2: ["selector", "LabelSelector"],
    3: ["template", "PodTemplateSpec"],
    4: ["strategy", "DeploymentStrategy"],
    5: ["minReadySeconds", "int32"],
    6: ["revisionHistoryLimit", "int32"],
    7: ["paused", "bool"],
    9: ["progressDeadlineSeconds", "int32"],
  },
  DeploymentStrategy: { 1: ["type", "string"], 2: ["rollingUpdate", "RollingUpdateDeployment"] },
  RollingUpdateDeployment: { 1: ["maxUnavailable", "IntOrString"], 2: ["maxSurge", "IntOrString"] },

  // batch/v1
  Job: { 1: ["metadata", "ObjectMeta"], 2: ["spec", "JobSpec"], 3: ["status", "Empty"] },
  JobSpec: {
    1: ["parallelism", "int32"],
    2: ["completions", "int32"],
    3: ["activeDeadlineSeconds", "int64"],
    4: ["selector", "LabelSelector"],
    5: ["manualSelector", "bool"],
    6: ["template", "PodTemplateSpec"],
    7: ["backoffLimit", "int32"],
    8: ["ttlSecondsAfterFinished", "int32"],
    9: ["completionMode", "string"],
    10: ["suspend", "bool"],
  },
  CronJob: { 1: ["metadata", "ObjectMeta"], 2: ["spec", "CronJobSpec"], 3: ["status", "Empty"] },
  CronJobSpec: {
    1: ["schedule", "string"],
    2: ["startingDeadlineSeconds", "int64"],
    3: ["concurrencyPolicy", "string"],
    4: ["suspend", "bool"],
    5: ["jobTemplate", "JobTemplateSpec"],
    6: ["successfulJobsHistoryLimit", "int32"],
    7: ["failedJobsHistoryLimit", "int32"],
    8: ["timeZone", "string"],
  },
  JobTemplateSpec: { 1: ["metadata", "ObjectMeta"], 2: ["spec", "JobSpec"] },

  // authentication/v1 (kubectl create token)
  TokenRequest: { 1: ["metadata", "ObjectMeta"], 2: ["spec", "TokenRequestSpec"], 3: ["status", "Empty"] },
  TokenRequestSpec: { 1: ["audiences", "string", R], 3: ["boundObjectRef", "BoundObjectReference"], 4: ["expirationSeconds", "int64"] },
  SelfSubjectReview: { 1: ["metadata", "ObjectMeta"], 2: ["status", "Empty"] },
  BoundObjectReference: { 1: ["kind", "string"], 2: ["apiVersion", "string"], 3: ["name", "string"], 4: ["uid", "string"] },

  // policy/v1
  Eviction: { 1: ["metadata", "ObjectMeta"], 2: ["deleteOptions", "DeleteOptions"] },
  PodDisruptionBudget: { 1: ["metadata", "ObjectMeta"], 2: ["spec", "PodDisruptionBudgetSpec"], 3: ["status", "Empty"] },
  PodDisruptionBudgetSpec: { 1: ["minAvailable", "IntOrString"], 2: ["selector", "LabelSelector"], 3: ["maxUnavailable", "IntOrString"], 4: ["unhealthyPodEvictionPolicy", "string"] },

  // autoscaling/v1 (kubectl autoscale); v2 messages are keyed "autoscaling/v2/<Kind>"
  HorizontalPodAutoscaler: { 1: ["metadata", "ObjectMeta"], 2: ["spec", "HorizontalPodAutoscalerSpecV1"], 3: ["status", "Empty"] },
  HorizontalPodAutoscalerSpecV1: { 1: ["scaleTargetRef", "CrossVersionObjectReference"], 2: ["minReplicas", "int32"], 3: ["maxReplicas", "int32"], 4: ["targetCPUUtilizationPercentage", "int32"] },
  CrossVersionObjectReference: { 1: ["kind", "string"], 2: ["name", "string"], 3: ["apiVersion", "string"] },
  "autoscaling/v2/HorizontalPodAutoscaler": { 1: ["metadata", "ObjectMeta"], 2: ["spec", "HorizontalPodAutoscalerSpecV2"], 3: ["status", "Empty"] },
  HorizontalPodAutoscalerSpecV2: {
    1: ["scaleTargetRef", "CrossVersionObjectReference"],
    2: ["minReplicas", "int32"],
    3: ["maxReplicas", "int32"],
    4: ["metrics", "MetricSpecV2", R],
    5: ["behavior", "Unsupported"],
  },
  MetricSpecV2: { 1: ["type", "string"], 4: ["resource", "ResourceMetricSourceV2"] },
  ResourceMetricSourceV2: { 1: ["name", "string"], 2: ["target", "MetricTargetV2"] },
  MetricTargetV2: { 1: ["type", "string"], 2: ["value", "Quantity"], 3: ["averageValue", "Quantity"], 4: ["averageUtilization", "int32"] },

  // authorization/v1
  SelfSubjectAccessReview: { 1: ["metadata", "ObjectMeta"], 2: ["spec", "SelfSubjectAccessReviewSpec"], 3: ["status", "Empty"] },
  SelfSubjectAccessReviewSpec: { 1: ["resourceAttributes", "ResourceAttributes"], 2: ["nonResourceAttributes", "NonResourceAttributes"] },
  ResourceAttributes: {
    1: ["namespace", "string"],
    2: ["verb", "string"],
    3: ["group", "string"],
    4: ["version", "string"],
    5: ["resource", "string"],
    6: ["subresource", "string"],
    7: ["name", "string"],
  },
  NonResourceAttributes: { 1: ["path", "string"], 2: ["verb", "string"] },
  SelfSubjectRulesReview: { 1: ["metadata", "ObjectMeta"], 2: ["spec", "SelfSubjectRulesReviewSpec"], 3: ["status", "Empty"] },
  SelfSubjectRulesReviewSpec: { 1: ["namespace", "string"] },

  // certificates/v1 (kubectl certificate approve|deny sends the whole object to /approval)
  CertificateSigningRequest: { 1: ["metadata", "ObjectMeta"], 2: ["spec", "CertificateSigningRequestSpec"], 3: ["status", "CertificateSigningRequestStatus"] },
  CertificateSigningRequestSpec: {
    1: ["request", "bytes"],
    2: ["username", "string"],
    3: ["uid", "string"],
    4: ["groups", "string", R],
    5: ["usages", "string", R],
    6: ["extra", "Skip", R],
    7: ["signerName", "string"],
    8: ["expirationSeconds", "int32"],
  },
  CertificateSigningRequestStatus: { 1: ["conditions", "CertificateSigningRequestCondition", R], 2: ["certificate", "bytes"] },
  CertificateSigningRequestCondition: {
    1: ["type", "string"],
    2: ["reason", "string"],
    3: ["message", "string"],
    4: ["lastUpdateTime", "Time"],
    5: ["lastTransitionTime", "Time"],
    6: ["status", "string"],
  },

  // rbac/v1
  Role: { 1: ["metadata", "ObjectMeta"], 2: ["rules", "PolicyRule", R] },
  ClusterRole: { 1: ["metadata", "ObjectMeta"], 2: ["rules", "PolicyRule", R] },
  PolicyRule: { 1: ["verbs", "string", R], 2: ["apiGroups", "string", R], 3: ["resources", "string", R], 4: ["resourceNames", "string", R], 5: ["nonResourceURLs", "string", R] },
  RoleBinding: { 1: ["metadata", "ObjectMeta"], 2: ["subjects", "Subject", R], 3: ["roleRef", "RoleRef"] },
  ClusterRoleBinding: { 1: ["metadata", "ObjectMeta"], 2: ["subjects", "Subject", R], 3: ["roleRef", "RoleRef"] },
  Subject: { 1: ["kind", "string"], 2: ["apiGroup", "string"], 3: ["name", "string"], 4: ["namespace", "string"] },
  RoleRef: { 1: ["apiGroup", "string"], 2: ["kind", "string"], 3: ["name", "string"] },
};

/**
 * Fields where Go uses a pointer, so an explicit zero/false is meaningful and kept; other zero
 * scalars are dropped like Go's `omitempty` JSON would.
 */
export const KEEP_ZERO = new Set([
  "replicas",
  "parallelism",
  "completions",
  "backoffLimit",
  "terminationGracePeriodSeconds",
  "activeDeadlineSeconds",
  "gracePeriodSeconds",
  "automountServiceAccountToken",
  "enableServiceLinks",
  "immutable",
  "suspend",
  "revisionHistoryLimit",
  "progressDeadlineSeconds",
  "ttlSecondsAfterFinished",
  "startingDeadlineSeconds",
  "successfulJobsHistoryLimit",
  "failedJobsHistoryLimit",
  "orphanDependents",
  "manualSelector",
  "port",
  "containerPort",
  "expirationSeconds",
  "minReplicas",
  "minAvailable",
  "maxUnavailable",
]);
