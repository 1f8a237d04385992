import { createHash } from "node:crypto";
import { RESOURCE_TYPES, type ResourceType } from "../store/resource-types";

/**
 * OpenAPI v3 as kubectl 1.32 uses it: the index at /openapi/v3 and one document per group
 * version. Each PATCH operation advertises the `fieldValidation` query parameter, so kubectl
 * leaves validation to the server instead of downloading OpenAPI v2; each kind has a schema
 * carrying `x-kubernetes-group-version-kind`, which `kubectl explain` walks. The schemas are
 * abridged: the fields learners explain most, with the real descriptions (docs/sim-fidelity.md).
 */

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ allOf: [{ $ref: `#/components/schemas/${name}` }], default: {} });
const str = (description: string): Schema => ({ type: "string", description, default: "" });
const int = (description: string): Schema => ({ type: "integer", format: "int32", description });
const bool = (description: string): Schema => ({ type: "boolean", description });
const arrOf = (name: string, description: string, extra: Schema = {}): Schema => ({
  type: "array",
  description,
  items: { allOf: [{ $ref: `#/components/schemas/${name}` }], default: {} },
  ...extra,
});
const strMap = (description: string): Schema => ({ type: "object", description, additionalProperties: { type: "string", default: "" } });
const strList = (description: string): Schema => ({ type: "array", description, items: { type: "string", default: "" } });

const META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const quantityMap = (description: string): Schema => ({ type: "object", description, additionalProperties: { $ref: `#/components/schemas/${QUANTITY}` } });
const LIST_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";

const API_VERSION_DESC =
  "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
const KIND_DESC =
  "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

const SHARED: Record<string, Schema> = {
  [META]: {
    description: "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
    type: "object",
    properties: {
      annotations: strMap("Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable and should be preserved when modifying objects. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations"),
      creationTimestamp: { type: "string", format: "date-time", description: "CreationTimestamp is a timestamp representing the server time when this object was created." },
      deletionGracePeriodSeconds: { type: "integer", format: "int64", description: "Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Only set when deletionTimestamp is also set." },
      deletionTimestamp: { type: "string", format: "date-time", description: "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted." },
      finalizers: { ...strList("Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list."), "x-kubernetes-list-type": "set", "x-kubernetes-patch-strategy": "merge" },
      generateName: str("GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."),
      generation: { type: "integer", format: "int64", description: "A sequence number representing a specific generation of the desired state. Populated by the system. Read-only." },
      labels: strMap("Map of string keys and values that can be used to organize and categorize (scope and select) objects. May match selectors of replication controllers and services. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels"),
      name: str("Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"),
      namespace: str("Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the \"default\" namespace, but \"default\" is the canonical representation. Not all objects are required to be scoped to a namespace - the value of this field for those objects will be empty."),
      ownerReferences: { type: "array", description: "List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected.", items: { type: "object" }, "x-kubernetes-patch-merge-key": "uid", "x-kubernetes-patch-strategy": "merge" },
      resourceVersion: str("An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed."),
      uid: str("UID is the unique in time and space value for this object. It is typically generated by the server on successful creation of a resource and is not allowed to change on PUT operations."),
    },
  },
  [LIST_META]: {
    description: "ListMeta describes metadata that synthetic resources must have, including lists and various status objects.",
    type: "object",
    properties: { resourceVersion: str("String that identifies the server's internal version of this object."), continue: str("continue may be set if the user set a limit on the number of items returned.") },
  },
  "io.k8s.api.core.v1.Container": {
    description: "A single application container that you want to run within a pod.",
    type: "object",
    required: ["name"],
    properties: {
      args: strList("Arguments to the entrypoint. The container image's CMD is used if this is not provided."),
      command: strList("Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided."),
      env: arrOf("io.k8s.api.core.v1.EnvVar", "List of environment variables to set in the container. Cannot be updated.", { "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge" }),
      image: str("Container image name. More info: https://kubernetes.io/docs/concepts/containers/images"),
      imagePullPolicy: str("Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated."),
      livenessProbe: ref("io.k8s.api.core.v1.Probe"),
      name: str("Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated."),
      ports: arrOf("io.k8s.api.core.v1.ContainerPort", "List of ports to expose from the container.", { "x-kubernetes-patch-merge-key": "containerPort", "x-kubernetes-patch-strategy": "merge" }),
      readinessProbe: ref("io.k8s.api.core.v1.Probe"),
      resources: ref("io.k8s.api.core.v1.ResourceRequirements"),
      volumeMounts: arrOf("io.k8s.api.core.v1.VolumeMount", "Pod volumes to mount into the container's filesystem. Cannot be updated.", { "x-kubernetes-patch-merge-key": "mountPath", "x-kubernetes-patch-strategy": "merge" }),
      workingDir: str("Container's working directory. If not specified, the container runtime's default will be used."),
    },
  },
  "io.k8s.api.core.v1.EnvVar": {
    description: "EnvVar represents an environment variable present in a Container.",
    type: "object",
    required: ["name"],
    properties: { name: str("Name of the environment variable. Must be a C_IDENTIFIER."), value: str("Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables."), valueFrom: { type: "object", description: "Source for the environment variable's value. Cannot be used if value is not empty." } },
  },
  "io.k8s.api.core.v1.ContainerPort": {
    description: "ContainerPort represents a network port in a single container.",
    type: "object",
    required: ["containerPort"],
    properties: { containerPort: int("Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536."), name: str("If specified, this must be an IANA_SVC_NAME and unique within the pod."), protocol: str("Protocol for port. Must be UDP, TCP, or SCTP. Defaults to \"TCP\".") },
  },
  "io.k8s.api.core.v1.Probe": {
    description: "Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.",
    type: "object",
    properties: { exec: { type: "object", description: "Exec specifies a command to execute in the container." }, httpGet: { type: "object", description: "HTTPGet specifies an HTTP GET request to perform." }, tcpSocket: { type: "object", description: "TCPSocket specifies a connection to a TCP port." }, initialDelaySeconds: int("Number of seconds after the container has started before liveness probes are initiated."), periodSeconds: int("How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1."), failureThreshold: int("Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.") },
  },
  "io.k8s.api.core.v1.ResourceRequirements": {
    description: "ResourceRequirements describes the compute resource requirements.",
    type: "object",
    properties: { limits: strMap("Limits describes the maximum amount of compute resources allowed. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"), requests: strMap("Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value. Requests cannot exceed Limits. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/") },
  },
  "io.k8s.api.core.v1.VolumeMount": {
    description: "VolumeMount describes a mounting of a Volume within a container.",
    type: "object",
    required: ["name", "mountPath"],
    properties: { mountPath: str("Path within the container at which the volume should be mounted.  Must not contain ':'."), name: str("This must match the Name of a Volume."), readOnly: bool("Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false."), subPath: str("Path within the volume from which the container's volume should be mounted. Defaults to \"\" (volume's root).") },
  },
  "io.k8s.api.core.v1.Volume": {
    description: "Volume represents a named volume in a pod that may be accessed by any container in the pod.",
    type: "object",
    required: ["name"],
    properties: { name: str("name of the volume. Must be a DNS_LABEL and unique within the pod."), configMap: { type: "object", description: "configMap represents a configMap that should populate this volume" }, secret: { type: "object", description: "secret represents a secret that should populate this volume." }, emptyDir: { type: "object", description: "emptyDir represents a temporary directory that shares a pod's lifetime." }, hostPath: { type: "object", description: "hostPath represents a pre-existing file or directory on the host machine that is directly exposed to the container." }, persistentVolumeClaim: { type: "object", description: "persistentVolumeClaimVolumeSource represents a reference to a PersistentVolumeClaim in the same namespace." } },
  },
  "io.k8s.api.core.v1.PodSpec": {
    description: "PodSpec is a description of a pod.",
    type: "object",
    required: ["containers"],
    properties: {
      affinity: { type: "object", description: "If specified, the pod's scheduling constraints" },
      containers: arrOf("io.k8s.api.core.v1.Container", "List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.", { "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge" }),
      initContainers: arrOf("io.k8s.api.core.v1.Container", "List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started.", { "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge" }),
      nodeName: str("NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename"),
      nodeSelector: strMap("NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
      restartPolicy: str("Restart policy for all containers within the pod. One of Always, OnFailure, Never. In some contexts, only a subset of those values may be permitted. Default to Always. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy"),
      schedulerName: str("If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler."),
      serviceAccountName: str("ServiceAccountName is the name of the ServiceAccount to use to run this pod. More info: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"),
      terminationGracePeriodSeconds: { type: "integer", format: "int64", description: "Optional duration in seconds the pod needs to terminate gracefully. May be decreased in delete request. Value must be non-negative integer. The value zero indicates stop immediately via the kill signal (no opportunity to shut down). If this value is nil, the default grace period will be used instead. Defaults to 30 seconds." },
      tolerations: { type: "array", description: "If specified, the pod's tolerations.", items: { type: "object" } },
      volumes: arrOf("io.k8s.api.core.v1.Volume", "List of volumes that can be mounted by containers belonging to the pod. More info: https://kubernetes.io/docs/concepts/storage/volumes", { "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge,retainKeys" }),
    },
  },
  [QUANTITY]: {
    description: "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.",
    oneOf: [{ type: "string" }, { type: "number" }],
  },
  "io.k8s.api.core.v1.LimitRangeItem": {
    description: "LimitRangeItem defines a min/max usage limit for any resource that matches on kind.",
    type: "object",
    required: ["type"],
    properties: {
      default: quantityMap("Default resource requirement limit value by resource name if resource limit is omitted."),
      defaultRequest: quantityMap("DefaultRequest is the default resource requirement request value by resource name if resource request is omitted."),
      max: quantityMap("Max usage constraints on this kind by resource name."),
      maxLimitRequestRatio: quantityMap("MaxLimitRequestRatio if specified, the named resource must have a request and limit that are both non-zero where limit divided by request is less than or equal to the enumerated value; this represents the max burst for the named resource."),
      min: quantityMap("Min usage constraints on this kind by resource name."),
      type: str("Type of resource that this limit applies to."),
    },
  },
  "io.k8s.api.core.v1.PodTemplateSpec": {
    description: "PodTemplateSpec describes the data a pod should have when created from a template",
    type: "object",
    properties: { metadata: ref(META), spec: ref("io.k8s.api.core.v1.PodSpec") },
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector": {
    description: "A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.",
    type: "object",
    properties: { matchLabels: strMap("matchLabels is a map of {key,value} pairs."), matchExpressions: { type: "array", description: "matchExpressions is a list of label selector requirements. The requirements are ANDed.", items: { type: "object" } } },
  },
};

function specSchema(rt: ResourceType): Schema | undefined {
  const tpl = {
    replicas: int("Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1."),
    selector: ref("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"),
    template: ref("io.k8s.api.core.v1.PodTemplateSpec"),
  };
  switch (rt.kind) {
    case "Deployment":
      return { description: "DeploymentSpec is the specification of the desired behavior of the Deployment.", type: "object", required: ["selector", "template"], properties: { ...tpl, strategy: { type: "object", description: "The deployment strategy to use to replace existing pods with new ones." }, revisionHistoryLimit: int("The number of old ReplicaSets to retain to allow rollback. Defaults to 10."), minReadySeconds: int("Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0."), paused: bool("Indicates that the deployment is paused."), progressDeadlineSeconds: int("The maximum time in seconds for a deployment to make progress before it is considered to be failed. Defaults to 600s.") } };
    case "ReplicaSet":
    case "StatefulSet":
    case "DaemonSet":
      return { description: `${rt.kind}Spec is the specification of a ${rt.kind}.`, type: "object", required: ["selector", "template"], properties: rt.kind === "DaemonSet" ? { selector: tpl.selector, template: tpl.template } : tpl };
    case "Job":
      return { description: "JobSpec describes how the job execution will look like.", type: "object", required: ["template"], properties: { template: tpl.template, backoffLimit: int("Specifies the number of retries before marking this job failed. Defaults to 6"), completions: int("Specifies the desired number of successfully finished pods the job should be run with."), parallelism: int("Specifies the maximum desired number of pods the job should run at any given time.") } };
    case "CronJob":
      return { description: "CronJobSpec describes how the job execution will look like and when it will actually run.", type: "object", required: ["schedule", "jobTemplate"], properties: { schedule: str("The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."), timeZone: str("The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process."), startingDeadlineSeconds: { type: "integer", format: "int64", description: "Optional deadline in seconds for starting the job if it misses scheduled time for any reason.  Missed jobs executions will be counted as failed ones." }, concurrencyPolicy: str("Specifies how to treat concurrent executions of a Job. Valid values are:\n\n- \"Allow\" (default): allows CronJobs to run concurrently; - \"Forbid\": forbids concurrent runs, skipping next run if previous run hasn't finished yet; - \"Replace\": cancels currently running job and replaces it with a new one"), suspend: bool("This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false."), jobTemplate: { type: "object", description: "Specifies the job that will be created when executing a CronJob." }, successfulJobsHistoryLimit: int("The number of successful finished jobs to retain. Value must be non-negative integer. Defaults to 3."), failedJobsHistoryLimit: int("The number of failed finished jobs to retain. Value must be non-negative integer. Defaults to 1.") } };
    case "HorizontalPodAutoscaler":
      return { description: "HorizontalPodAutoscalerSpec describes the desired functionality of the HorizontalPodAutoscaler.", type: "object", required: ["scaleTargetRef", "maxReplicas"], properties: { scaleTargetRef: { type: "object", description: "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count." }, minReplicas: int("minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod."), maxReplicas: int("maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas."), ...(rt.version === "v1" ? { targetCPUUtilizationPercentage: int("targetCPUUtilizationPercentage is the target average CPU utilization (represented as a percentage of requested CPU) over all the pods; if not specified the default autoscaling policy will be used.") } : { metrics: { type: "array", description: "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).", items: { type: "object" } }, behavior: { type: "object", description: "behavior configures the scaling behavior of the target in both Up and Down directions (scaleUp and scaleDown fields respectively)." } }) } };
    case "PodDisruptionBudget":
      return { description: "PodDisruptionBudgetSpec is a description of a PodDisruptionBudget.", type: "object", properties: { minAvailable: { type: "string", format: "int-or-string", description: "An eviction is allowed if at least \"minAvailable\" pods selected by \"selector\" will still be available after the eviction, i.e. even in the absence of the evicted pod.  So for example you can prevent all voluntary evictions by specifying \"100%\"." }, maxUnavailable: { type: "string", format: "int-or-string", description: "An eviction is allowed if at most \"maxUnavailable\" pods selected by \"selector\" are unavailable after the eviction, i.e. even in absence of the evicted pod. For example, one can prevent all voluntary evictions by specifying 0. This is a mutually exclusive setting with \"minAvailable\"." }, selector: ref("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"), unhealthyPodEvictionPolicy: str("UnhealthyPodEvictionPolicy defines the criteria for when unhealthy pods should be considered for eviction.") } };
    case "Pod":
      return undefined;
    case "ResourceQuota":
      return {
        description: "ResourceQuotaSpec defines the desired hard limits to enforce for Quota.",
        type: "object",
        properties: {
          hard: { type: "object", description: "hard is the set of desired hard limits for each named resource. More info: https://kubernetes.io/docs/concepts/policy/resource-quotas/", additionalProperties: { $ref: `#/components/schemas/${QUANTITY}` } },
          scopes: { ...strList("A collection of filters that must match each object tracked by a quota. If not specified, the quota matches all objects."), "x-kubernetes-list-type": "atomic" },
          scopeSelector: { type: "object", description: "scopeSelector is also a collection of filters like scopes that must match each object tracked by a quota but expressed using ScopeSelectorOperator in combination with possible values. For a resource to match, both scopes AND scopeSelector (if specified in spec), must be matched." },
        },
      };
    case "LimitRange":
      return {
        description: "LimitRangeSpec defines a min/max usage limit for resources that match on kind.",
        type: "object",
        required: ["limits"],
        properties: { limits: { ...arrOf("io.k8s.api.core.v1.LimitRangeItem", "Limits is the list of LimitRangeItem objects that are enforced."), "x-kubernetes-list-type": "atomic" } },
      };
    case "CertificateSigningRequest":
      return {
        description: "CertificateSigningRequestSpec contains the certificate request.",
        type: "object",
        required: ["request", "signerName"],
        properties: {
          request: { type: "string", format: "byte", description: "request contains an x509 certificate signing request encoded in a \"CERTIFICATE REQUEST\" PEM block. When serialized as JSON or YAML, the data is additionally base64-encoded.", "x-kubernetes-list-type": "atomic" },
          signerName: str("signerName indicates the requested signer, and is a qualified name."),
          expirationSeconds: int("expirationSeconds is the requested duration of validity of the issued certificate. The certificate signer may issue a certificate with a different validity duration so a client must check the delta between the notBefore and and notAfter fields in the issued certificate to determine the actual duration."),
          usages: { ...strList("usages specifies a set of key usages requested in the issued certificate."), "x-kubernetes-list-type": "atomic" },
          username: str("username contains the name of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable."),
          uid: str("uid contains the uid of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable."),
          groups: { ...strList("groups contains group membership of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable."), "x-kubernetes-list-type": "atomic" },
          extra: { type: "object", description: "extra contains extra attributes of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.", additionalProperties: { type: "array", items: { type: "string", default: "" } } },
        },
      };
    case "Service":
      return { description: "ServiceSpec describes the attributes that a user creates on a service.", type: "object", properties: { type: str("type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer."), selector: strMap("Route service traffic to pods with label keys and values matching this selector."), clusterIP: str("clusterIP is the IP address of the service and is usually assigned randomly."), ports: { type: "array", description: "The list of ports that are exposed by this service.", items: { type: "object" }, "x-kubernetes-patch-merge-key": "port", "x-kubernetes-patch-strategy": "merge" } } };
  }
  return { description: `${rt.kind}Spec`, type: "object" };
}

function schemaName(rt: ResourceType): string {
  const g = rt.group ? rt.group.replace(/\.k8s\.io$/, "").split(".")[0] : "core";
  return `io.k8s.api.${g}.${rt.version}.${rt.kind}`;
}

const DESCRIPTIONS: Record<string, string> = {
  Pod: "Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.",
  Deployment: "Deployment enables declarative updates for Pods and ReplicaSets.",
  Service: "Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.",
  ConfigMap: "ConfigMap holds configuration data for pods to consume.",
  Secret: "Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.",
  Namespace: "Namespace provides a scope for Names. Use of multiple namespaces is optional.",
  Node: "Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).",
  ResourceQuota: "ResourceQuota sets aggregate quota restrictions enforced per namespace",
  LimitRange: "LimitRange sets resource usage limits for each kind of resource in a Namespace.",
  CronJob: "CronJob represents the configuration of a single cron job.",
  HorizontalPodAutoscaler: "HorizontalPodAutoscaler is the configuration for a horizontal pod autoscaler, which automatically manages the replica count of any resource implementing the scale subresource based on the metrics specified.",
  PodDisruptionBudget: "PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods",
  CertificateSigningRequest:
    "CertificateSigningRequest objects provide a mechanism to obtain x509 certificates by submitting a certificate signing request, and having it asynchronously approved and issued.\n\nKubelets use this API to obtain:\n 1. client certificates to authenticate to kube-apiserver (with the \"kubernetes.io/kube-apiserver-client-kubelet\" signerName).\n 2. serving certificates for TLS endpoints kube-apiserver can connect to securely (with the \"kubernetes.io/kubelet-serving\" signerName).\n\nThis API can be used to request client certificates to authenticate to kube-apiserver (with the \"kubernetes.io/kube-apiserver-client\" signerName), or to obtain certificates from custom non-Kubernetes signers.",
};

function kindSchemas(rt: ResourceType): Record<string, Schema> {
  const name = schemaName(rt);
  const out: Record<string, Schema> = {};
  const props: Record<string, Schema> = { apiVersion: { type: "string", description: API_VERSION_DESC }, kind: { type: "string", description: KIND_DESC }, metadata: ref(META) };
  if (rt.kind === "Pod") props.spec = ref("io.k8s.api.core.v1.PodSpec");
  else if (!["ConfigMap", "Secret", "Event", "Endpoints", "EndpointSlice", "ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "StorageClass", "ControllerRevision"].includes(rt.kind)) {
    const spec = specSchema(rt);
    if (spec) {
      out[`${name}Spec`] = spec;
      props.spec = ref(`${name}Spec`);
    }
  }
  if (rt.kind === "CertificateSigningRequest") {
    out[`${name}Status`] = {
      description: "CertificateSigningRequestStatus contains conditions used to indicate approved/denied/failed status of the request, and the issued certificate.",
      type: "object",
      properties: {
        certificate: { type: "string", format: "byte", description: "certificate is populated with an issued certificate by the signer after an Approved condition is present. This field is set via the /status subresource. Once populated, this field is immutable.", "x-kubernetes-list-type": "atomic" },
        conditions: { type: "array", description: "conditions applied to the request. Known conditions are \"Approved\", \"Denied\", and \"Failed\".", items: { type: "object" }, "x-kubernetes-list-map-keys": ["type"], "x-kubernetes-list-type": "map" },
      },
    };
    props.status = ref(`${name}Status`);
  }
  if (rt.kind === "ConfigMap" || rt.kind === "Secret") {
    props.data = strMap(rt.kind === "Secret" ? "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string." : "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'.");
    if (rt.kind === "Secret") props.type = { type: "string", description: "Used to facilitate programmatic handling of secret data." };
  }
  out[name] = {
    description: DESCRIPTIONS[rt.kind] ?? `${rt.kind} (abridged schema served by the simulated cluster).`,
    type: "object",
    properties: props,
    "x-kubernetes-group-version-kind": [{ group: rt.group, kind: rt.kind, version: rt.version }],
  };
  out[`${name}List`] = {
    description: `${rt.kind}List is a list of ${rt.kind} objects.`,
    type: "object",
    required: ["items"],
    properties: { apiVersion: { type: "string", description: API_VERSION_DESC }, items: arrOf(name, `List of ${rt.resource}.`), kind: { type: "string", description: KIND_DESC }, metadata: ref(LIST_META) },
    "x-kubernetes-group-version-kind": [{ group: rt.group, kind: `${rt.kind}List`, version: rt.version }],
  };
  return out;
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

const FIELD_VALIDATION = {
  name: "fieldValidation",
  in: "query",
  description: "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn (default) - Strict",
  schema: { type: "string", uniqueItems: true },
};

const docs = new Map<string, Schema>();

function buildDocument(group: string, version: string): Schema | undefined {
  const types = RESOURCE_TYPES.filter((t) => t.group === group && t.version === version);
  if (!types.length) return undefined;
  const schemas: Record<string, Schema> = { ...SHARED };
  const paths: Record<string, Schema> = {};
  for (const rt of types) {
    Object.assign(schemas, kindSchemas(rt));
    const gvk = { group: rt.group, version: rt.version, kind: rt.kind };
    if (rt.virtual) {
      // Create-only kinds (reviews, bindings) have no PATCH on a real apiserver, so kubectl
      // validates them client-side against OpenAPI v2, which the sim does not serve. A PATCH
      // operation advertising fieldValidation makes kubectl leave validation to the server.
      const collection = `/${gvPath(group, version)}${rt.namespaced ? "/namespaces/{namespace}" : ""}/${rt.resource}`;
      paths[collection] = {
        post: { description: `create a ${rt.kind}`, operationId: `create${rt.kind}`, parameters: [FIELD_VALIDATION], responses: { "201": { description: "Created" } }, "x-kubernetes-action": "post", "x-kubernetes-group-version-kind": gvk },
        patch: { description: `(sim) ${rt.kind} is create-only`, operationId: `patch${rt.kind}`, parameters: [FIELD_VALIDATION], responses: { "405": { description: "MethodNotAllowed" } }, "x-kubernetes-action": "patch", "x-kubernetes-group-version-kind": gvk },
      };
      continue;
    }
    const base = `/${gvPath(group, version)}${rt.namespaced ? "/namespaces/{namespace}" : ""}/${rt.resource}/{name}`;
    const body = { $ref: `#/components/schemas/${schemaName(rt)}` };
    paths[base] = {
      get: { description: `read the specified ${rt.kind}`, operationId: `read${rt.kind}`, responses: { "200": { description: "OK", content: { "application/json": { schema: body } } } }, "x-kubernetes-action": "get", "x-kubernetes-group-version-kind": gvk },
      put: { description: `replace the specified ${rt.kind}`, operationId: `replace${rt.kind}`, parameters: [FIELD_VALIDATION], requestBody: { content: { "*/*": { schema: body } }, required: true }, responses: { "200": { description: "OK" } }, "x-kubernetes-action": "put", "x-kubernetes-group-version-kind": gvk },
      patch: {
        description: `partially update the specified ${rt.kind}`,
        operationId: `patch${rt.kind}`,
        parameters: [FIELD_VALIDATION],
        // Only merge-patch is listed so kubectl apply builds strategic patches from its compiled-in
        // Go types (always complete) rather than from these abridged schemas; the server accepts
        // all four patch types regardless.
        requestBody: { content: { "application/merge-patch+json": { schema: { type: "object" } }, "application/json-patch+json": { schema: { type: "object" } } }, required: true },
        responses: { "200": { description: "OK" } },
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": gvk,
      },
    };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.32.2" },
    paths,
    components: { schemas },
  };
}

/** The /openapi/v3 index (what kubectl reads first). */
export function openApiV3Index(): Schema {
  const gvs = [...new Set(RESOURCE_TYPES.map((t) => gvPath(t.group, t.version)))];
  const paths: Record<string, Schema> = {};
  for (const p of gvs) {
    const [a, b, c] = p.split("/");
    const doc = a === "api" ? openApiV3Document(p) : openApiV3Document(`${a}/${b}/${c}`);
    const hash = createHash("sha512").update(JSON.stringify(doc)).digest("hex").toUpperCase().slice(0, 128);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
  }
  return { paths };
}

/** The document for "api/v1" or "apis/apps/v1", or undefined. */
export function openApiV3Document(gv: string): Schema | undefined {
  const clean = gv.replace(/\?.*$/, "");
  if (docs.has(clean)) return docs.get(clean);
  const parts = clean.split("/");
  let doc: Schema | undefined;
  if (parts[0] === "api" && parts.length === 2) doc = buildDocument("", parts[1]!);
  else if (parts[0] === "apis" && parts.length === 3) doc = buildDocument(parts[1]!, parts[2]!);
  if (doc) docs.set(clean, doc);
  return doc;
}
