import { z } from "zod";

/**
 * The RBAC objects the authorizer reads, parsed with zod from whatever the store holds: a
 * learner can write any shape kubectl lets through validation, and a malformed rule must deny,
 * never throw.
 */

const strings = z.array(z.string()).optional().catch(undefined);

export const policyRuleSchema = z.object({
  verbs: z.array(z.string()).catch([]),
  apiGroups: strings,
  resources: strings,
  resourceNames: strings,
  nonResourceURLs: strings,
});
export type PolicyRule = z.infer<typeof policyRuleSchema>;

const labelSelectorSchema = z.object({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(z.object({ key: z.string(), operator: z.string(), values: z.array(z.string()).optional() }))
    .optional(),
});
export type LabelSelector = z.infer<typeof labelSelectorSchema>;

const metaSchema = z.object({
  name: z.string(),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

export const roleSchema = z.object({
  metadata: metaSchema,
  rules: z.array(policyRuleSchema).nullish().transform((r) => r ?? []),
  aggregationRule: z.object({ clusterRoleSelectors: z.array(labelSelectorSchema).nullish() }).nullish(),
});
export type RoleObject = z.infer<typeof roleSchema>;

export const subjectSchema = z.object({
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  apiGroup: z.string().optional(),
});
export type Subject = z.infer<typeof subjectSchema>;

export const bindingSchema = z.object({
  metadata: metaSchema,
  roleRef: z.object({ kind: z.string(), name: z.string(), apiGroup: z.string().optional() }),
  subjects: z.array(subjectSchema).nullish().transform((s) => s ?? []),
});
export type BindingObject = z.infer<typeof bindingSchema>;

/** Everything RBAC decides from: the four kinds, as a store snapshot gives them. */
export interface RbacObjects {
  roles: RoleObject[];
  clusterRoles: RoleObject[];
  roleBindings: BindingObject[];
  clusterRoleBindings: BindingObject[];
}

/** Parses raw store objects, dropping those that do not have the shape at all. */
export function parseRbacObjects(raw: { roles: unknown[]; clusterRoles: unknown[]; roleBindings: unknown[]; clusterRoleBindings: unknown[] }): RbacObjects {
  const keep = <T>(schema: z.ZodType<T>, items: unknown[]): T[] =>
    items.flatMap((i) => {
      const r = schema.safeParse(i);
      return r.success ? [r.data] : [];
    });
  return {
    roles: keep(roleSchema, raw.roles),
    clusterRoles: keep(roleSchema, raw.clusterRoles),
    roleBindings: keep(bindingSchema, raw.roleBindings),
    clusterRoleBindings: keep(bindingSchema, raw.clusterRoleBindings),
  };
}
