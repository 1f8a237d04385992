import type { BindingObject, LabelSelector, PolicyRule, RbacObjects, RoleObject, Subject } from "./rbac-objects";

/** One request as the authorizer sees it (k8s.io/apiserver authorizer.Attributes). */
export interface RequestAttributes {
  user: string;
  groups: string[];
  verb: string;
  /** True for /api and /apis resource paths; false for /healthz, /version, discovery … */
  resourceRequest: boolean;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The URL path of a non-resource request. */
  path?: string;
}

export interface Decision {
  allowed: boolean;
  /** RBAC's words: the binding that allowed it, or (denied) the bindings to missing roles. */
  reason: string;
}

const RBAC_GROUP = "rbac.authorization.k8s.io";

function has(list: string[] | undefined, value: string): boolean {
  return !!list && (list.includes("*") || list.includes(value));
}

/** Whether a label set matches a selector (matchLabels and the four set operators). */
export function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const present = Object.hasOwn(labels, e.key);
    const inValues = present && (e.values ?? []).includes(labels[e.key]!);
    if (e.operator === "In" && !inValues) return false;
    if (e.operator === "NotIn" && inValues) return false;
    if (e.operator === "Exists" && !present) return false;
    if (e.operator === "DoesNotExist" && present) return false;
  }
  // An empty selector selects nothing for aggregation (the controller skips it).
  return !!(sel.matchLabels && Object.keys(sel.matchLabels).length) || !!sel.matchExpressions?.length;
}

/**
 * The rules an aggregated ClusterRole should hold: the union of the roles its selectors pick,
 * transitively. The clusterrole-aggregation controller (kube-controller-manager) writes them into
 * .rules; the authorizer reads only .rules, so aggregation takes effect when the controller runs.
 */
export function effectiveClusterRoleRules(role: RoleObject, all: RoleObject[], seen = new Set<string>()): PolicyRule[] {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (!selectors) return role.rules;
  seen.add(role.metadata.name);
  const out: PolicyRule[] = [];
  for (const other of all) {
    if (seen.has(other.metadata.name)) continue;
    const labels = other.metadata.labels ?? {};
    if (!selectors.some((s) => selectorMatches(s, labels))) continue;
    seen.add(other.metadata.name);
    out.push(...effectiveClusterRoleRules(other, all, seen));
  }
  return out;
}

/** Whether a binding subject is this user (ServiceAccount subjects name system:serviceaccount:<ns>:<name>). */
export function subjectMatches(s: Subject, user: string, groups: string[], bindingNamespace: string | undefined): boolean {
  switch (s.kind) {
    case "User":
      return s.name === user;
    case "Group":
      return groups.includes(s.name);
    case "ServiceAccount": {
      const ns = s.namespace || bindingNamespace;
      return !!ns && user === `system:serviceaccount:${ns}:${s.name}`;
    }
  }
  return false;
}

/** Whether one rule allows the request (rbac/v1 helpers: VerbMatches, APIGroupMatches, ResourceMatches …). */
export function ruleAllows(rule: PolicyRule, a: RequestAttributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.resourceRequest) {
    const path = a.path ?? "";
    return (rule.nonResourceURLs ?? []).some((u) => u === "*" || u === path || (u.endsWith("*") && path.startsWith(u.slice(0, -1))));
  }
  if (!has(rule.apiGroups, a.apiGroup ?? "")) return false;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : (a.resource ?? "");
  const resources = rule.resources ?? [];
  const resourceOk = resources.some(
    (r) => r === "*" || r === combined || (a.subresource ? r === `*/${a.subresource}` : false),
  );
  if (!resourceOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (!!a.name && names.includes(a.name));
}

export interface Grant {
  rules: PolicyRule[];
  /** The binding as RBAC names it in an allow reason: ClusterRoleBinding "x" of ClusterRole "y" to Group "z". */
  source: string;
  /** Where the rules apply: undefined = every namespace and the cluster scope. */
  namespace: string | undefined;
}

/**
 * Every rule set bound to a user, each with the namespace it is limited to, plus the errors
 * of bindings whose role is missing ("clusterrole.rbac.authorization.k8s.io \"x\" not found").
 */
export function grantsFor(user: string, groups: string[], objs: RbacObjects): { grants: Grant[]; errors: string[] } {
  const grants: Grant[] = [];
  const errors: string[] = [];
  const clusterRole = (name: string) => objs.clusterRoles.find((r) => r.metadata.name === name);
  const subjectOf = (b: BindingObject, ns: string | undefined) => b.subjects.find((s) => subjectMatches(s, user, groups, ns));
  const describe = (b: BindingObject, ns: string | undefined) => {
    const s = subjectOf(b, ns)!;
    const who = s.kind === "ServiceAccount" ? `${s.name}/${s.namespace || ns || ""}` : s.name;
    const binding = ns ? `RoleBinding "${b.metadata.name}/${ns}"` : `ClusterRoleBinding "${b.metadata.name}"`;
    return `${binding} of ${b.roleRef.kind} "${b.roleRef.name}" to ${s.kind} "${who}"`;
  };
  for (const b of objs.clusterRoleBindings) {
    if (!subjectOf(b, undefined)) continue;
    const role = b.roleRef.kind === "ClusterRole" ? clusterRole(b.roleRef.name) : undefined;
    if (!role) {
      errors.push(`clusterrole.${RBAC_GROUP} "${b.roleRef.name}" not found`);
      continue;
    }
    grants.push({ rules: role.rules, namespace: undefined, source: describe(b, undefined) });
  }
  for (const b of objs.roleBindings) {
    const ns = b.metadata.namespace;
    if (!ns || !subjectOf(b, ns)) continue;
    if (b.roleRef.kind === "ClusterRole") {
      const role = clusterRole(b.roleRef.name);
      if (!role) errors.push(`clusterrole.${RBAC_GROUP} "${b.roleRef.name}" not found`);
      else grants.push({ rules: role.rules, namespace: ns, source: describe(b, ns) });
    } else {
      const role = objs.roles.find((r) => r.metadata.name === b.roleRef.name && r.metadata.namespace === ns);
      if (!role) errors.push(`role.${RBAC_GROUP} "${b.roleRef.name}" not found`);
      else grants.push({ rules: role.rules, namespace: ns, source: describe(b, ns) });
    }
  }
  return { grants, errors };
}

/**
 * The RBAC authorizer: allowed when any rule bound to the user (directly, through a group, or
 * as a ServiceAccount) matches. system:masters is allowed everything before RBAC is asked, as the
 * apiserver's privileged-group authorizer does. A RoleBinding's rules apply only to requests in
 * its namespace, never to cluster-scoped ones or non-resource URLs.
 */
export function authorize(a: RequestAttributes, objs: RbacObjects): Decision {
  if (a.groups.includes("system:masters")) return { allowed: true, reason: "" };
  const { grants, errors } = grantsFor(a.user, a.groups, objs);
  for (const g of grants) {
    if (g.namespace !== undefined && (!a.resourceRequest || a.namespace !== g.namespace)) continue;
    if (g.rules.some((r) => ruleAllows(r, a))) return { allowed: true, reason: `RBAC: allowed by ${g.source}` };
  }
  return { allowed: false, reason: errors.length ? `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`}` : "" };
}

/**
 * The rules that apply to a user in a namespace (RBAC's RulesFor, behind SelfSubjectRulesReview
 * and `kubectl auth can-i --list`): cluster-wide grants plus that namespace's RoleBindings.
 */
export function rulesFor(user: string, groups: string[], namespace: string, objs: RbacObjects): PolicyRule[] {
  if (groups.includes("system:masters")) return [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }, { verbs: ["*"], nonResourceURLs: ["*"] }];
  return grantsFor(user, groups, objs).grants.flatMap((g) =>
    g.namespace === undefined ? g.rules : g.namespace === namespace ? g.rules.filter((r) => !r.nonResourceURLs?.length) : [],
  );
}
