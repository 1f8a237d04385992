import { describe, expect, it } from "vitest";
import { authorize, effectiveClusterRoleRules, type RequestAttributes } from "./authorize";
import { forbiddenError } from "./forbidden-error";
import { parseRbacObjects, type RbacObjects } from "./rbac-objects";

const G = "rbac.authorization.k8s.io";
const objs = (o: Partial<Record<keyof RbacObjects, unknown[]>>): RbacObjects =>
  parseRbacObjects({ roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [], ...o });
const req = (a: Partial<RequestAttributes>): RequestAttributes => ({
  user: "jane",
  groups: ["system:authenticated"],
  verb: "list",
  resourceRequest: true,
  apiGroup: "",
  resource: "pods",
  namespace: "default",
  ...a,
});
const user = (name: string) => ({ kind: "User", apiGroup: G, name });

const podReader = { metadata: { name: "pod-reader", namespace: "default" }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }] };
const readerBinding = { metadata: { name: "rb", namespace: "default" }, roleRef: { kind: "Role", apiGroup: G, name: "pod-reader" }, subjects: [user("jane")] };

describe("authorize", () => {
  it("denies everything when nothing is bound", () => {
    expect(authorize(req({}), objs({})).allowed).toBe(false);
  });

  it("lets system:masters do anything without a binding", () => {
    expect(authorize(req({ groups: ["system:masters"], verb: "delete", resource: "nodes", namespace: undefined }), objs({})).allowed).toBe(true);
  });

  it("allows a Role's verbs only in the RoleBinding's namespace", () => {
    const o = objs({ roles: [podReader], roleBindings: [readerBinding] });
    expect(authorize(req({}), o)).toEqual({ allowed: true, reason: 'RBAC: allowed by RoleBinding "rb/default" of Role "pod-reader" to User "jane"' });
    expect(authorize(req({ namespace: "other" }), o).allowed).toBe(false);
    expect(authorize(req({ namespace: undefined }), o).allowed).toBe(false);
    expect(authorize(req({ verb: "delete" }), o).allowed).toBe(false);
    expect(authorize(req({ user: "bob" }), o).allowed).toBe(false);
  });

  it("does not grant a subresource through its parent resource", () => {
    const o = objs({ roles: [podReader], roleBindings: [readerBinding] });
    expect(authorize(req({ verb: "get", subresource: "log", name: "web" }), o).allowed).toBe(false);
  });

  it("matches */subresource and * resources", () => {
    const cr = { metadata: { name: "scaler" }, rules: [{ apiGroups: ["apps"], resources: ["*/scale"], verbs: ["update"] }] };
    const crb = { metadata: { name: "scaler" }, roleRef: { kind: "ClusterRole", name: "scaler" }, subjects: [user("jane")] };
    const o = objs({ clusterRoles: [cr], clusterRoleBindings: [crb] });
    expect(authorize(req({ verb: "update", apiGroup: "apps", resource: "deployments", subresource: "scale", name: "web" }), o).allowed).toBe(true);
    expect(authorize(req({ verb: "update", apiGroup: "apps", resource: "deployments", name: "web" }), o).allowed).toBe(false);
  });

  it("limits a rule with resourceNames to those names (a list has no name and is denied)", () => {
    const role = { metadata: { name: "one", namespace: "default" }, rules: [{ apiGroups: [""], resources: ["configmaps"], resourceNames: ["cfg"], verbs: ["get", "list"] }] };
    const rb = { ...readerBinding, roleRef: { kind: "Role", name: "one" } };
    const o = objs({ roles: [role], roleBindings: [rb] });
    expect(authorize(req({ verb: "get", resource: "configmaps", name: "cfg" }), o).allowed).toBe(true);
    expect(authorize(req({ verb: "get", resource: "configmaps", name: "other" }), o).allowed).toBe(false);
    expect(authorize(req({ verb: "list", resource: "configmaps" }), o).allowed).toBe(false);
  });

  it("scopes a ClusterRole referenced by a RoleBinding to the binding's namespace", () => {
    const view = { metadata: { name: "view" }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["list"] }] };
    const rb = { metadata: { name: "v", namespace: "team" }, roleRef: { kind: "ClusterRole", name: "view" }, subjects: [user("jane")] };
    const o = objs({ clusterRoles: [view], roleBindings: [rb] });
    expect(authorize(req({ namespace: "team" }), o).allowed).toBe(true);
    expect(authorize(req({ namespace: "default" }), o).allowed).toBe(false);
  });

  it("binds ServiceAccounts by their user name and groups", () => {
    const view = { metadata: { name: "view" }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["list"] }] };
    const sa = { metadata: { name: "s", namespace: "team" }, roleRef: { kind: "ClusterRole", name: "view" }, subjects: [{ kind: "ServiceAccount", name: "bot" }] };
    const grp = { metadata: { name: "g" }, roleRef: { kind: "ClusterRole", name: "view" }, subjects: [{ kind: "Group", apiGroup: G, name: "system:serviceaccounts:ci" }] };
    const o = objs({ clusterRoles: [view], roleBindings: [sa], clusterRoleBindings: [grp] });
    const bot = { user: "system:serviceaccount:team:bot", groups: ["system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated"] };
    expect(authorize(req({ ...bot, namespace: "team" }), o).reason).toBe('RBAC: allowed by RoleBinding "s/team" of ClusterRole "view" to ServiceAccount "bot/team"');
    expect(authorize(req({ ...bot, user: "system:serviceaccount:other:bot" }), o).allowed).toBe(false);
    expect(authorize(req({ user: "system:serviceaccount:ci:x", groups: ["system:serviceaccounts:ci"], namespace: "any" }), o).allowed).toBe(true);
  });

  it("gives an aggregated ClusterRole the rules of the roles its selectors pick, transitively, but authorizes by .rules only", () => {
    const admin = { metadata: { name: "admin" }, rules: [], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "rbac.authorization.k8s.io/aggregate-to-admin": "true" } }] } };
    const edit = { metadata: { name: "edit", labels: { "rbac.authorization.k8s.io/aggregate-to-admin": "true" } }, rules: [], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "rbac.authorization.k8s.io/aggregate-to-edit": "true" } }] } };
    const extra = { metadata: { name: "crontabs-edit", labels: { "rbac.authorization.k8s.io/aggregate-to-edit": "true" } }, rules: [{ apiGroups: ["stable.example.com"], resources: ["crontabs"], verbs: ["create"] }] };
    const rb = { metadata: { name: "a", namespace: "default" }, roleRef: { kind: "ClusterRole", name: "admin" }, subjects: [user("jane")] };
    const a = req({ verb: "create", apiGroup: "stable.example.com", resource: "crontabs" });
    const roles = objs({ clusterRoles: [admin, edit, extra] }).clusterRoles;
    expect(effectiveClusterRoleRules(roles[0]!, roles)).toEqual(extra.rules);
    // Until the aggregation controller writes the union into admin's .rules, it grants nothing.
    expect(authorize(a, objs({ clusterRoles: [admin, edit, extra], roleBindings: [rb] })).allowed).toBe(false);
    expect(authorize(a, objs({ clusterRoles: [{ ...admin, rules: extra.rules }, edit, extra], roleBindings: [rb] })).allowed).toBe(true);
  });

  it("allows non-resource URLs only through cluster-wide bindings, with a trailing * as a prefix", () => {
    const disc = { metadata: { name: "d" }, rules: [{ nonResourceURLs: ["/apis/*", "/healthz"], verbs: ["get"] }] };
    const crb = { metadata: { name: "d" }, roleRef: { kind: "ClusterRole", name: "d" }, subjects: [{ kind: "Group", name: "system:authenticated" }] };
    const o = objs({ clusterRoles: [disc], clusterRoleBindings: [crb] });
    const path = (p: string) => req({ resourceRequest: false, verb: "get", path: p, resource: undefined, namespace: undefined });
    expect(authorize(path("/apis/apps/v1"), o).allowed).toBe(true);
    expect(authorize(path("/healthz"), o).allowed).toBe(true);
    expect(authorize(path("/healthz/etcd"), o).allowed).toBe(false);
  });

  it("explains a binding to a missing role as the apiserver does", () => {
    const crb = { metadata: { name: "x" }, roleRef: { kind: "ClusterRole", name: "gone" }, subjects: [user("jane")] };
    expect(authorize(req({}), objs({ clusterRoleBindings: [crb] }))).toEqual({ allowed: false, reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found' });
  });

  it("ignores malformed store objects instead of throwing", () => {
    expect(authorize(req({}), objs({ clusterRoles: [{ rules: "x" }], clusterRoleBindings: [{ metadata: {} }] })).allowed).toBe(false);
  });
});

describe("forbiddenError", () => {
  it("says which verb, resource, group and namespace were denied", () => {
    expect(forbiddenError(req({}), "").status).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"',
      reason: "Forbidden",
      details: { kind: "pods" },
      code: 403,
    });
  });

  it("names the object, the subresource and the cluster scope", () => {
    expect(forbiddenError(req({ verb: "get", resource: "nodes", namespace: undefined, name: "n1" }), "").message).toBe(
      'nodes "n1" is forbidden: User "jane" cannot get resource "nodes" in API group "" at the cluster scope',
    );
    expect(forbiddenError(req({ verb: "create", subresource: "exec", name: "web" }), "").message).toBe(
      'pods "web" is forbidden: User "jane" cannot create resource "pods/exec" in API group "" in the namespace "default"',
    );
    const d = forbiddenError(req({ verb: "get", apiGroup: "apps", resource: "deployments", name: "web" }), "");
    expect(d.message).toMatch(/^deployments\.apps "web" is forbidden: .* in API group "apps"/);
    expect(d.status.details).toEqual({ name: "web", group: "apps", kind: "deployments" });
  });

  it("words a non-resource denial by path", () => {
    const e = forbiddenError(req({ resourceRequest: false, verb: "get", path: "/metrics", resource: undefined, namespace: undefined }), "");
    expect(e.message).toBe('forbidden: User "jane" cannot get path "/metrics"');
    expect(e.status.details).toEqual({});
  });
});

describe("bootstrapPolicy", () => {
  it("aggregates view into edit into admin like the real defaults", async () => {
    const { bootstrapPolicy } = await import("./bootstrap-policy");
    const p = bootstrapPolicy();
    const o = objs({ clusterRoles: p.clusterRoles, roleBindings: [{ metadata: { name: "a", namespace: "team" }, roleRef: { kind: "ClusterRole", name: "admin" }, subjects: [user("jane")] }] });
    expect(authorize(req({ namespace: "team", verb: "create", apiGroup: G, resource: "rolebindings" }), o).allowed).toBe(true);
    expect(authorize(req({ namespace: "team", verb: "create", apiGroup: "apps", resource: "deployments" }), o).allowed).toBe(true);
    expect(authorize(req({ namespace: "team", verb: "list", resource: "pods" }), o).allowed).toBe(true);
    expect(authorize(req({ namespace: "team", verb: "delete", resource: "namespaces", name: "team" }), o).allowed).toBe(false);
    const admin = p.clusterRoles.find((r) => r.metadata.name === "admin")!;
    expect((admin.rules as unknown[]).length).toBeGreaterThan(20);
  });
});
