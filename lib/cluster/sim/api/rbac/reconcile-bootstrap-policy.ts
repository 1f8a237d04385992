import type { ObjectStore } from "../../store/object-store";
import type { KubeObject } from "../../store/types";
import { bootstrapPolicy } from "./bootstrap-policy";

const CLUSTER_ROLES = "clusterroles.rbac.authorization.k8s.io";
const CLUSTER_ROLE_BINDINGS = "clusterrolebindings.rbac.authorization.k8s.io";

const autoupdate = (o: KubeObject) => o.metadata.annotations?.["rbac.authorization.kubernetes.io/autoupdate"] !== "false";
const json = (v: unknown) => JSON.stringify(v);
const sameMap = (a: Record<string, string> | undefined, b: Record<string, string> | undefined) =>
  json(Object.entries(a ?? {}).sort()) === json(Object.entries(b ?? {}).sort());

/**
 * The apiserver's `rbac/bootstrap-roles` post-start hook, run once at every apiserver start (not
 * continuously): each default ClusterRole and ClusterRoleBinding that is missing is created; one
 * that exists and is not annotated `rbac.authorization.kubernetes.io/autoupdate: "false"` gets the
 * rules or subjects it lacks added, extra ones kept (reconciliation with RemoveExtraPermissions /
 * RemoveExtraSubjects false). kubeadm's own objects (`kubeadm:cluster-admins` …) are not in this
 * policy: only `kubeadm init` writes them. Returns how many objects it wrote.
 */
export function reconcileBootstrapPolicy(store: ObjectStore): number {
  const { clusterRoles, clusterRoleBindings } = bootstrapPolicy();
  let written = 0;
  for (const want of clusterRoles) {
    const have = store.get(CLUSTER_ROLES, undefined, want.metadata.name ?? "");
    if (!have) {
      store.create(CLUSTER_ROLES, want);
      written++;
      continue;
    }
    if (!autoupdate(have)) continue;
    // An aggregated role's rules belong to the aggregation controller: only its selectors are reconciled.
    const rules = Array.isArray(have.rules) ? [...(have.rules as unknown[])] : [];
    const missing = want.aggregationRule ? [] : (want.rules as unknown[]).filter((r) => !rules.some((h) => json(h) === json(r)));
    const needsAggregation = want.aggregationRule && json(have.aggregationRule) !== json(want.aggregationRule);
    const labels = { ...want.metadata.labels, ...have.metadata.labels };
    const annotations = { ...want.metadata.annotations, ...have.metadata.annotations };
    const metaChanged = !sameMap(labels, have.metadata.labels) || !sameMap(annotations, have.metadata.annotations);
    if (!missing.length && !needsAggregation && !metaChanged) continue;
    store.update(CLUSTER_ROLES, {
      ...have,
      metadata: { ...have.metadata, labels, annotations },
      rules: [...rules, ...missing],
      ...(needsAggregation ? { aggregationRule: want.aggregationRule } : {}),
    });
    written++;
  }
  for (const want of clusterRoleBindings) {
    const have = store.get(CLUSTER_ROLE_BINDINGS, undefined, want.metadata.name ?? "");
    if (have && json(have.roleRef) !== json(want.roleRef) && autoupdate(have)) {
      // roleRef is immutable: the reconciler deletes and re-creates the binding.
      store.delete(CLUSTER_ROLE_BINDINGS, undefined, want.metadata.name ?? "");
    } else if (have) {
      if (!autoupdate(have)) continue;
      const subjects = Array.isArray(have.subjects) ? [...(have.subjects as unknown[])] : [];
      const missing = (want.subjects as unknown[]).filter((s) => !subjects.some((h) => json(h) === json(s)));
      if (!missing.length) continue;
      store.update(CLUSTER_ROLE_BINDINGS, { ...have, subjects: [...subjects, ...missing] });
      written++;
      continue;
    }
    store.create(CLUSTER_ROLE_BINDINGS, want);
    written++;
  }
  return written;
}
