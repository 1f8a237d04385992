import type { ObjectStore } from "../../store/object-store";
import { authorize, ruleAllows, type Decision, type RequestAttributes } from "./authorize";
import { NODE_RULES } from "./bootstrap-policy";
import { parseRbacObjects, type RbacObjects } from "./rbac-objects";

const KEYS = {
  roles: "roles.rbac.authorization.k8s.io",
  clusterRoles: "clusterroles.rbac.authorization.k8s.io",
  roleBindings: "rolebindings.rbac.authorization.k8s.io",
  clusterRoleBindings: "clusterrolebindings.rbac.authorization.k8s.io",
} as const;

/**
 * The apiserver's authorizer chain for `--authorization-mode=Node,RBAC`: system:masters first,
 * then the Node authorizer for kubelets (system:node:<name> in system:nodes get what the
 * system:node role lists, without the real one's per-node object graph), then RBAC over the
 * Roles and bindings in the store now.
 */
export function authorizeRequest(store: ObjectStore, a: RequestAttributes): Decision {
  if (a.groups.includes("system:masters")) return { allowed: true, reason: "" };
  if (a.user.startsWith("system:node:") && a.groups.includes("system:nodes") && NODE_RULES.some((r) => ruleAllows(r, a))) {
    return { allowed: true, reason: "" };
  }
  return authorize(a, rbacObjects(store));
}

// Parsed once per store state: every write bumps the resourceVersion, and a backend switch
// (etcd data dir moved) changes the backend name, so a cached parse is never stale.
const cache = new WeakMap<ObjectStore, { at: string; objs: RbacObjects }>();

/** The Roles and bindings the store holds now. */
export function rbacObjects(store: ObjectStore): RbacObjects {
  const at = `${store.backend}@${store.resourceVersion}`;
  const hit = cache.get(store);
  if (hit?.at === at) return hit.objs;
  const objs = parseStored(store);
  cache.set(store, { at, objs });
  return objs;
}

function parseStored(store: ObjectStore): RbacObjects {
  const list = (key: string) => store.list(key).items as unknown[];
  return parseRbacObjects({
    roles: list(KEYS.roles),
    clusterRoles: list(KEYS.clusterRoles),
    roleBindings: list(KEYS.roleBindings),
    clusterRoleBindings: list(KEYS.clusterRoleBindings),
  });
}
