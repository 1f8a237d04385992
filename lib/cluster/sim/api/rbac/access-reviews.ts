import { z } from "zod";
import type { ObjectStore } from "../../store/object-store";
import { badRequest } from "../../store/status-error";
import type { User } from "../handlers/request-scope";
import { rulesFor, type RequestAttributes } from "./authorize";
import { authorizeRequest, rbacObjects } from "./authorize-request";
import { NODE_RULES } from "./bootstrap-policy";
import { authenticateServiceAccountToken } from "./service-account-token";

const resourceAttributesSchema = z.object({
  namespace: z.string().optional(),
  verb: z.string().optional(),
  group: z.string().optional(),
  version: z.string().optional(),
  resource: z.string().optional(),
  subresource: z.string().optional(),
  name: z.string().optional(),
});
const nonResourceAttributesSchema = z.object({ path: z.string().optional(), verb: z.string().optional() });
const accessReviewSpecSchema = z.object({
  resourceAttributes: resourceAttributesSchema.optional(),
  nonResourceAttributes: nonResourceAttributesSchema.optional(),
  user: z.string().optional(),
  groups: z.array(z.string()).optional(),
  uid: z.string().optional(),
  extra: z.record(z.string(), z.array(z.string())).optional(),
});
const bodySchema = z.object({ spec: z.unknown().optional() });

function parseSpec(body: unknown, kind: string): z.infer<typeof accessReviewSpecSchema> {
  const spec = accessReviewSpecSchema.safeParse(bodySchema.parse(body).spec ?? {});
  if (!spec.success) throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: ${spec.error.issues[0]?.message ?? "invalid spec"}`);
  return spec.data;
}

/**
 * SelfSubjectAccessReview (`kubectl auth can-i`) and SubjectAccessReview: the same authorizer
 * chain every request goes through, asked about the caller or the spec's user. An allowed answer
 * carries RBAC's reason ("RBAC: allowed by ClusterRoleBinding …"), as the real one does.
 */
export function accessReview(store: ObjectStore, caller: User, kind: "SelfSubjectAccessReview" | "SubjectAccessReview" | "LocalSubjectAccessReview", body: unknown): Record<string, unknown> {
  const spec = parseSpec(body, kind);
  const subject = kind === "SelfSubjectAccessReview" ? caller : { name: spec.user ?? "", groups: spec.groups ?? [] };
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) throw badRequest(`${kind}.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`);
  const ra = spec.resourceAttributes;
  const attrs: RequestAttributes = ra
    ? {
        user: subject.name,
        groups: subject.groups,
        resourceRequest: true,
        verb: ra.verb ?? "",
        apiGroup: ra.group ?? "",
        resource: ra.resource ?? "",
        subresource: ra.subresource || undefined,
        namespace: ra.namespace || undefined,
        name: ra.name || undefined,
      }
    : { user: subject.name, groups: subject.groups, resourceRequest: false, verb: spec.nonResourceAttributes?.verb ?? "", path: spec.nonResourceAttributes?.path ?? "" };
  const d = authorizeRequest(store, attrs);
  const specOut = kind === "SelfSubjectAccessReview" ? { ...(ra ? { resourceAttributes: ra } : { nonResourceAttributes: spec.nonResourceAttributes }) } : spec;
  return {
    kind,
    apiVersion: "authorization.k8s.io/v1",
    metadata: { creationTimestamp: null },
    spec: specOut,
    status: { allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) },
  };
}

/** SelfSubjectRulesReview (`kubectl auth can-i --list`): what the caller may do in spec.namespace. */
export function rulesReview(store: ObjectStore, caller: User, body: unknown): Record<string, unknown> {
  const spec = z.object({ namespace: z.string().optional() }).safeParse(bodySchema.parse(body).spec ?? {});
  const namespace = spec.success ? (spec.data.namespace ?? "") : "";
  const isNode = caller.name.startsWith("system:node:") && caller.groups.includes("system:nodes");
  const rules = [...(isNode ? NODE_RULES : []), ...rulesFor(caller.name, caller.groups, namespace, rbacObjects(store))];
  return {
    kind: "SelfSubjectRulesReview",
    apiVersion: "authorization.k8s.io/v1",
    metadata: { creationTimestamp: null },
    spec: { namespace },
    status: {
      resourceRules: rules
        .filter((r) => !r.nonResourceURLs?.length)
        .map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}) })),
      nonResourceRules: rules.filter((r) => r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
      incomplete: false,
    },
  };
}

/** SelfSubjectReview (`kubectl auth whoami`): who the apiserver authenticated the caller as. */
export function selfSubjectReview(caller: User): Record<string, unknown> {
  return {
    kind: "SelfSubjectReview",
    apiVersion: "authentication.k8s.io/v1",
    metadata: { creationTimestamp: null },
    status: { userInfo: { username: caller.name, groups: caller.groups } },
  };
}

/**
 * LocalSubjectAccessReview: a SubjectAccessReview limited to the namespace in its URL (what the
 * admin role lets namespace admins ask); a spec naming another namespace is refused.
 */
export function localAccessReview(store: ObjectStore, caller: User, namespace: string, body: unknown): Record<string, unknown> {
  const spec = parseSpec(body, "LocalSubjectAccessReview");
  const ns = spec.resourceAttributes?.namespace ?? "";
  if (spec.resourceAttributes && ns !== namespace) {
    throw badRequest(`LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "${ns}": must match metadata.namespace`);
  }
  const review = accessReview(store, caller, "LocalSubjectAccessReview", body);
  return { ...review, metadata: { namespace, creationTimestamp: null } };
}

/** TokenReview: whether a bearer token authenticates, and as whom (the ServiceAccount token authenticator). */
export function tokenReview(store: ObjectStore, now: Date, serviceAccountKey: string | null, body: unknown): Record<string, unknown> {
  const spec = z.object({ token: z.string().optional(), audiences: z.array(z.string()).optional() }).safeParse(bodySchema.parse(body).spec ?? {});
  const token = spec.success ? (spec.data.token ?? "") : "";
  const user = token && serviceAccountKey ? authenticateServiceAccountToken(serviceAccountKey, token, now, store) : null;
  return {
    kind: "TokenReview",
    apiVersion: "authentication.k8s.io/v1",
    metadata: { creationTimestamp: null },
    spec: spec.success ? spec.data : {},
    status: user
      ? { authenticated: true, user: { username: user.name, groups: user.groups }, audiences: ["https://kubernetes.default.svc.cluster.local"] }
      : { user: {}, ...(token ? { error: "[invalid bearer token, square/go-jose: error in cryptographic primitive]" } : {}) },
  };
}
