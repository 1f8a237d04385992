/**
 * The kinds the sim cluster serves, as data. The API layer builds discovery from this list, the
 * store uses it for names in errors ("deployments.apps"), and controllers for their lookups.
 */
export interface ResourceType {
  group: string; // "" for core
  version: string;
  resource: string; // plural, lower-case
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources?: string[];
  /** Served but not stored by the store (e.g. bindings, reviews): the API handles them. */
  virtual?: boolean;
  /** Another type whose storage this one shares (events.k8s.io/v1 events ↔ core/v1 events). */
  storageOf?: string;
}

const ALL = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function t(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return { group, version, resource, kind, namespaced, singular: kind.toLowerCase(), verbs: ALL, ...extra };
}

export const RESOURCE_TYPES: ResourceType[] = [
  t("", "v1", "bindings", "Binding", true, { verbs: ["create"], virtual: true }),
  t("", "v1", "componentstatuses", "ComponentStatus", false, { shortNames: ["cs"], verbs: ["get", "list"], virtual: true }),
  t("", "v1", "configmaps", "ConfigMap", true, { shortNames: ["cm"] }),
  t("", "v1", "endpoints", "Endpoints", true, { shortNames: ["ep"], singular: "endpoints" }),
  t("", "v1", "events", "Event", true, { shortNames: ["ev"] }),
  t("", "v1", "limitranges", "LimitRange", true, { shortNames: ["limits"] }),
  t("", "v1", "namespaces", "Namespace", false, {
    shortNames: ["ns"],
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    subresources: ["status", "finalize"],
  }),
  t("", "v1", "nodes", "Node", false, { shortNames: ["no"], subresources: ["status", "proxy"] }),
  t("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, { shortNames: ["pvc"], subresources: ["status"] }),
  t("", "v1", "persistentvolumes", "PersistentVolume", false, { shortNames: ["pv"], subresources: ["status"] }),
  t("", "v1", "pods", "Pod", true, {
    shortNames: ["po"],
    categories: ["all"],
    subresources: ["status", "log", "binding", "eviction", "exec", "attach", "portforward", "ephemeralcontainers"],
  }),
  t("", "v1", "resourcequotas", "ResourceQuota", true, { shortNames: ["quota"], subresources: ["status"] }),
  t("", "v1", "secrets", "Secret", true),
  t("", "v1", "serviceaccounts", "ServiceAccount", true, { shortNames: ["sa"], subresources: ["token"] }),
  t("", "v1", "services", "Service", true, { shortNames: ["svc"], categories: ["all"], subresources: ["status", "proxy"] }),
  t("apps", "v1", "controllerrevisions", "ControllerRevision", true),
  t("apps", "v1", "daemonsets", "DaemonSet", true, { shortNames: ["ds"], categories: ["all"], subresources: ["status"] }),
  t("apps", "v1", "deployments", "Deployment", true, {
    shortNames: ["deploy"],
    categories: ["all"],
    subresources: ["status", "scale"],
  }),
  t("apps", "v1", "replicasets", "ReplicaSet", true, { shortNames: ["rs"], categories: ["all"], subresources: ["status", "scale"] }),
  t("apps", "v1", "statefulsets", "StatefulSet", true, {
    shortNames: ["sts"],
    categories: ["all"],
    subresources: ["status", "scale"],
  }),
  t("authentication.k8s.io", "v1", "selfsubjectreviews", "SelfSubjectReview", false, { verbs: ["create"], virtual: true }),
  t("authentication.k8s.io", "v1", "tokenreviews", "TokenReview", false, { verbs: ["create"], virtual: true }),
  t("authorization.k8s.io", "v1", "localsubjectaccessreviews", "LocalSubjectAccessReview", true, { verbs: ["create"], virtual: true }),
  t("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false, {
    verbs: ["create"],
    virtual: true,
  }),
  t("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "SelfSubjectRulesReview", false, {
    verbs: ["create"],
    virtual: true,
  }),
  t("authorization.k8s.io", "v1", "subjectaccessreviews", "SubjectAccessReview", false, { verbs: ["create"], virtual: true }),
  t("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, { shortNames: ["hpa"], categories: ["all"], subresources: ["status"] }),
  // autoscaling/v1 is served from the same storage (the apiserver converts between the versions).
  t("autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, {
    shortNames: ["hpa"],
    categories: ["all"],
    subresources: ["status"],
    storageOf: "horizontalpodautoscalers.autoscaling",
  }),
  t("batch", "v1", "cronjobs", "CronJob", true, { shortNames: ["cj"], categories: ["all"], subresources: ["status"] }),
  t("batch", "v1", "jobs", "Job", true, { categories: ["all"], subresources: ["status"] }),
  t("certificates.k8s.io", "v1", "certificatesigningrequests", "CertificateSigningRequest", false, {
    shortNames: ["csr"],
    subresources: ["approval", "status"],
  }),
  t("coordination.k8s.io", "v1", "leases", "Lease", true),
  t("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true),
  t("events.k8s.io", "v1", "events", "Event", true, { shortNames: ["ev"], storageOf: "events" }),
  t("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, { shortNames: ["netpol"] }),
  t("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, { shortNames: ["pdb"], subresources: ["status"] }),
  t("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false),
  t("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
  t("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true),
  t("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
  t("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, { shortNames: ["sc"] }),
];

/** "deployments.apps", "pods": how the apiserver names a group-resource in messages. */
export function groupResource(rt: Pick<ResourceType, "group" | "resource">): string {
  return rt.group ? `${rt.resource}.${rt.group}` : rt.resource;
}

export function apiVersionOf(rt: Pick<ResourceType, "group" | "version">): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

/** The storage key of a type: its group-resource, shared by aliases such as events.k8s.io events. */
export function storageKey(rt: ResourceType): string {
  return rt.storageOf ?? groupResource(rt);
}

// The first (preferred) version of a group-resource wins the version-less lookup.
const byKey = new Map<string, ResourceType>();
for (const r of RESOURCE_TYPES) if (!byKey.has(`${r.group}/${r.resource}`)) byKey.set(`${r.group}/${r.resource}`, r);
const byVersionKey = new Map(RESOURCE_TYPES.map((r) => [`${r.group}/${r.version}/${r.resource}`, r]));

/** Looks up a served type by group and plural resource name (and version, for a kind served in several). */
export function findResourceType(group: string, resource: string, version?: string): ResourceType | undefined {
  return version === undefined ? byKey.get(`${group}/${resource}`) : byVersionKey.get(`${group}/${version}/${resource}`);
}

/** Looks up a served type by kind (first match, core before events.k8s.io). */
export function resourceTypeForKind(apiVersion: string, kind: string): ResourceType | undefined {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return RESOURCE_TYPES.find((r) => r.group === group && r.version === version && r.kind === kind);
}
