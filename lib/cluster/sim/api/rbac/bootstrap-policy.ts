import type { KubeObject } from "../../store/types";
import { effectiveClusterRoleRules } from "./authorize";
import { roleSchema } from "./rbac-objects";

/**
 * The default ClusterRoles and ClusterRoleBindings the apiserver's rbac/bootstrap-roles
 * post-start hook creates (plugin/pkg/auth/authorizer/rbac/bootstrappolicy), trimmed to the API
 * groups the sim serves. They are real objects in the store, so `kubectl get clusterroles` lists
 * them and a learner can break or repair them.
 */

const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "patch", "update"];
const RW = [...WRITE, ...READ];
const GROUP = "rbac.authorization.k8s.io";

type Rule = { apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[]; verbs: string[] };
const r = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): Rule => ({
  apiGroups,
  resources,
  ...(resourceNames ? { resourceNames } : {}),
  verbs,
});

function role(name: string, rules: Rule[], labels: Record<string, string> = {}, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: "ClusterRole",
    metadata: {
      name,
      labels: { "kubernetes.io/bootstrapping": "rbac-defaults", ...labels },
      annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" },
    },
    rules,
    ...extra,
  };
}

function binding(name: string, roleName: string, subjects: { kind: string; name: string; namespace?: string }[]): KubeObject {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: "ClusterRoleBinding",
    metadata: {
      name,
      labels: { "kubernetes.io/bootstrapping": "rbac-defaults" },
      annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" },
    },
    roleRef: { apiGroup: GROUP, kind: "ClusterRole", name: roleName },
    subjects: subjects.map((s) => (s.kind === "ServiceAccount" ? s : { apiGroup: GROUP, ...s })),
  };
}

const aggregated = (label: string) => ({ aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`${GROUP}/aggregate-to-${label}`]: "true" } }] } });
const aggregateTo = (label: string) => ({ [`${GROUP}/aggregate-to-${label}`]: "true" });

const VIEW_RULES: Rule[] = [
  r([""], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"], READ),
  r([""], ["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"], READ),
  r([""], ["namespaces"], READ),
  r(["discovery.k8s.io"], ["endpointslices"], READ),
  r(["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"], READ),
  r(["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"], READ),
  r(["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"], READ),
  r(["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"], READ),
  r(["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"], READ),
];

const EDIT_RULES: Rule[] = [
  r([""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], READ),
  r([""], ["serviceaccounts"], ["impersonate"]),
  r([""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], WRITE),
  r([""], ["pods/eviction"], ["create"]),
  r([""], ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"], WRITE),
  r([""], ["serviceaccounts/token"], ["create"]),
  r(["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"], WRITE),
  r(["autoscaling"], ["horizontalpodautoscalers"], WRITE),
  r(["batch"], ["cronjobs", "jobs"], WRITE),
  r(["policy"], ["poddisruptionbudgets"], WRITE),
  r(["networking.k8s.io"], ["ingresses", "networkpolicies"], WRITE),
  r(["coordination.k8s.io"], ["leases"], RW),
];

const ADMIN_RULES: Rule[] = [
  r(["authorization.k8s.io"], ["localsubjectaccessreviews"], ["create"]),
  r([GROUP], ["rolebindings", "roles"], RW),
];

/** The rules the Node authorizer and system:node allow a kubelet (system:node:<name> in system:nodes). */
export const NODE_RULES: Rule[] = [
  r(["authentication.k8s.io"], ["tokenreviews"], ["create"]),
  r(["authorization.k8s.io"], ["localsubjectaccessreviews", "subjectaccessreviews"], ["create"]),
  r([""], ["services"], READ),
  r([""], ["nodes"], ["create", "get", "list", "watch"]),
  r([""], ["nodes/status"], ["patch", "update"]),
  r([""], ["nodes"], ["patch", "update"]),
  r(["", "events.k8s.io"], ["events"], ["create", "patch", "update"]),
  r([""], ["pods"], READ),
  r([""], ["pods"], ["create", "delete"]),
  r([""], ["pods/status"], ["patch", "update"]),
  r([""], ["pods/eviction"], ["create"]),
  r([""], ["configmaps", "secrets"], READ),
  r([""], ["persistentvolumeclaims", "persistentvolumes"], ["get"]),
  r([""], ["endpoints"], ["get"]),
  r(["certificates.k8s.io"], ["certificatesigningrequests"], ["create", "get", "list", "watch"]),
  r(["coordination.k8s.io"], ["leases"], ["create", "delete", "get", "patch", "update"]),
  r(["storage.k8s.io"], ["volumeattachments"], ["get"]),
  r([""], ["serviceaccounts/token"], ["create"]),
  r([""], ["persistentvolumeclaims/status"], ["get", "patch", "update"]),
  r(["storage.k8s.io"], ["csidrivers"], READ),
  r(["storage.k8s.io"], ["csinodes"], ["create", "delete", "get", "patch", "update"]),
  r(["node.k8s.io"], ["runtimeclasses"], READ),
];

const SCHEDULER_RULES: Rule[] = [
  r(["", "events.k8s.io"], ["events"], ["create", "patch", "update"]),
  r(["coordination.k8s.io"], ["leases"], ["create"]),
  r(["coordination.k8s.io"], ["leases"], ["get", "update"], ["kube-scheduler"]),
  r([""], ["endpoints"], ["create"]),
  r([""], ["endpoints"], ["get", "update"], ["kube-scheduler"]),
  r([""], ["nodes"], READ),
  r([""], ["pods"], ["delete", ...READ]),
  r([""], ["bindings", "pods/binding"], ["create"]),
  r([""], ["pods/status"], ["patch", "update"]),
  r([""], ["replicationcontrollers", "services"], READ),
  r(["apps"], ["replicasets", "statefulsets"], READ),
  r(["policy"], ["poddisruptionbudgets"], READ),
  r([""], ["persistentvolumeclaims", "persistentvolumes"], READ),
  r(["authentication.k8s.io"], ["tokenreviews"], ["create"]),
  r(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"]),
  r(["storage.k8s.io"], ["csinodes", "csidrivers", "csistoragecapacities"], READ),
  r([""], ["namespaces"], READ),
];

const CONTROLLER_MANAGER_RULES: Rule[] = [
  r(["", "events.k8s.io"], ["events"], ["create", "patch", "update"]),
  r(["coordination.k8s.io"], ["leases"], ["create"]),
  r(["coordination.k8s.io"], ["leases"], ["get", "update"], ["kube-controller-manager"]),
  r([""], ["endpoints"], ["create"]),
  r([""], ["endpoints"], ["get", "update"], ["kube-controller-manager"]),
  r([""], ["secrets", "serviceaccounts"], ["create"]),
  r([""], ["secrets"], ["delete"]),
  r([""], ["configmaps", "namespaces", "secrets", "serviceaccounts"], ["get"]),
  r([""], ["secrets", "serviceaccounts"], ["update"]),
  r(["authentication.k8s.io"], ["tokenreviews"], ["create"]),
  r(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"]),
  r(["*"], ["*"], ["list", "watch"]),
  r([""], ["serviceaccounts/token"], ["create"]),
];

/** The ClusterRoles and ClusterRoleBindings of a kubeadm control plane (the apiserver's plus kubeadm's). */
export function bootstrapPolicy(): { clusterRoles: KubeObject[]; clusterRoleBindings: KubeObject[] } {
  const clusterRoles = [
    role("cluster-admin", [r(["*"], ["*"], ["*"]), { nonResourceURLs: ["*"], verbs: ["*"] }]),
    role("admin", [], {}, aggregated("admin")),
    role("edit", [], aggregateTo("admin"), aggregated("edit")),
    role("view", [], aggregateTo("edit"), aggregated("view")),
    role("system:aggregate-to-admin", ADMIN_RULES, aggregateTo("admin")),
    role("system:aggregate-to-edit", EDIT_RULES, aggregateTo("edit")),
    role("system:aggregate-to-view", VIEW_RULES, aggregateTo("view")),
    role("system:basic-user", [r(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], ["create"]), r(["authentication.k8s.io"], ["selfsubjectreviews"], ["create"])]),
    role("system:discovery", [{ nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"], verbs: ["get"] }]),
    role("system:public-info-viewer", [{ nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"], verbs: ["get"] }]),
    role("system:monitoring", [{ nonResourceURLs: ["/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis", "/readyz", "/readyz/*"], verbs: ["get"] }]),
    role("system:node", NODE_RULES),
    role("system:node-proxier", [
      r([""], ["endpoints", "services"], ["list", "watch"]),
      r([""], ["nodes"], READ),
      r(["", "events.k8s.io"], ["events"], ["create", "patch", "update"]),
      r(["discovery.k8s.io"], ["endpointslices"], ["list", "watch"]),
    ]),
    role("system:node-bootstrapper", [r(["certificates.k8s.io"], ["certificatesigningrequests"], ["create", "get", "list", "watch"])]),
    role("system:kube-scheduler", SCHEDULER_RULES),
    role("system:kube-controller-manager", CONTROLLER_MANAGER_RULES),
    role("system:volume-scheduler", [
      r([""], ["persistentvolumes"], ["get", "list", "patch", "update", "watch"]),
      r(["storage.k8s.io"], ["storageclasses"], READ),
      r([""], ["persistentvolumeclaims"], ["get", "list", "patch", "update", "watch"]),
    ]),
    role("system:controller:deployment-controller", [
      r(["apps"], ["deployments"], ["get", "list", "update", "watch"]),
      r(["apps"], ["deployments/status"], ["update"]),
      r(["apps"], ["deployments/finalizers"], ["update"]),
      r(["apps"], ["replicasets"], ["create", "delete", "get", "list", "patch", "update", "watch"]),
      r([""], ["pods"], ["get", "list", "update", "watch"]),
      r(["", "events.k8s.io"], ["events"], ["create", "patch", "update"]),
    ]),
    role("system:controller:replicaset-controller", [
      r(["apps"], ["replicasets"], ["get", "list", "update", "watch"]),
      r(["apps"], ["replicasets/status"], ["update"]),
      r(["apps"], ["replicasets/finalizers"], ["update"]),
      r([""], ["pods"], ["create", "delete", "list", "patch", "watch"]),
      r(["", "events.k8s.io"], ["events"], ["create", "patch", "update"]),
    ]),
    role("system:controller:node-controller", [
      r([""], ["nodes"], ["delete", "get", "list", "patch", "update"]),
      r([""], ["nodes/status"], ["patch", "update"]),
      r([""], ["pods/status"], ["patch", "update"]),
      r([""], ["pods"], ["delete", "list"]),
      r(["", "events.k8s.io"], ["events"], ["create", "patch", "update"]),
    ]),
  ];
  // What the clusterrole-aggregation controller writes a moment after start-up: the union of the
  // selected roles' rules, so `kubectl get clusterrole admin -o yaml` lists them.
  const parsed = clusterRoles.map((c) => roleSchema.parse(c));
  for (const [i, c] of clusterRoles.entries()) {
    if (c.aggregationRule) c.rules = effectiveClusterRoleRules(parsed[i]!, parsed);
  }
  const clusterRoleBindings = [
    binding("cluster-admin", "cluster-admin", [{ kind: "Group", name: "system:masters" }]),
    binding("system:basic-user", "system:basic-user", [{ kind: "Group", name: "system:authenticated" }]),
    binding("system:discovery", "system:discovery", [{ kind: "Group", name: "system:authenticated" }]),
    binding("system:public-info-viewer", "system:public-info-viewer", [
      { kind: "Group", name: "system:authenticated" },
      { kind: "Group", name: "system:unauthenticated" },
    ]),
    binding("system:monitoring", "system:monitoring", [{ kind: "Group", name: "system:monitoring" }]),
    // The Node authorizer, not this binding, serves kubelets; the binding exists without subjects.
    binding("system:node", "system:node", []),
    binding("system:node-proxier", "system:node-proxier", [{ kind: "User", name: "system:kube-proxy" }]),
    binding("system:kube-scheduler", "system:kube-scheduler", [{ kind: "User", name: "system:kube-scheduler" }]),
    binding("system:kube-controller-manager", "system:kube-controller-manager", [{ kind: "User", name: "system:kube-controller-manager" }]),
    binding("system:volume-scheduler", "system:volume-scheduler", [{ kind: "User", name: "system:kube-scheduler" }]),
    binding("system:controller:deployment-controller", "system:controller:deployment-controller", [{ kind: "ServiceAccount", name: "deployment-controller", namespace: "kube-system" }]),
    binding("system:controller:replicaset-controller", "system:controller:replicaset-controller", [{ kind: "ServiceAccount", name: "replicaset-controller", namespace: "kube-system" }]),
    binding("system:controller:node-controller", "system:controller:node-controller", [{ kind: "ServiceAccount", name: "node-controller", namespace: "kube-system" }]),
  ];
  return { clusterRoles, clusterRoleBindings };
}
