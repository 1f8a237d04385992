/**
 * clusterrole-aggregation-controller (kube-controller-manager): every ClusterRole with an
 * aggregationRule gets, as its .rules, the union of the rules of the ClusterRoles its selectors
 * pick. The authorizer reads only .rules, so a new `aggregate-to-view` role widens view once this
 * controller has run, and not while the controller-manager is down; a hand edit of an aggregated
 * role's rules is overwritten.
 */
import type { SimComponent } from "../contracts";
import { effectiveClusterRoleRules } from "../api/rbac/authorize";
import { roleSchema, type RoleObject } from "../api/rbac/rbac-objects";
import type { ControllerOptions } from "./replicaset-controller";
import { createWorkQueue } from "./work-queue";

const CLUSTER_ROLES = "clusterroles.rbac.authorization.k8s.io";

export function startClusterRoleAggregationController(opts: Pick<ControllerOptions, "store" | "clock">): SimComponent {
  const { store, clock } = opts;

  function reconcile(name: string): void {
    const raw = store.get(CLUSTER_ROLES, undefined, name);
    if (!raw?.aggregationRule) return;
    const all = store.list(CLUSTER_ROLES).items.flatMap((o) => {
      const r = roleSchema.safeParse(o);
      return r.success ? [r.data] : [];
    });
    all.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const self = all.find((r) => r.metadata.name === name);
    if (!self) return;
    const want: RoleObject["rules"] = [];
    for (const rule of effectiveClusterRoleRules(self, all)) {
      if (!want.some((w) => JSON.stringify(w) === JSON.stringify(rule))) want.push(rule);
    }
    const have = Array.isArray(raw.rules) ? raw.rules : [];
    if (JSON.stringify(have) === JSON.stringify(want)) return;
    store.update(CLUSTER_ROLES, { ...raw, rules: want });
  }

  const queue = createWorkQueue(clock, "clusterrole-aggregation", reconcile);
  const enqueueAggregated = () => {
    for (const r of store.list(CLUSTER_ROLES).items) if (r.aggregationRule) queue.add(r.metadata.name ?? "");
  };
  const stops = [store.watch(CLUSTER_ROLES, {}, () => enqueueAggregated()), store.onReset(() => enqueueAggregated())];
  enqueueAggregated();
  return {
    stop() {
      for (const s of stops) s();
      queue.stop();
    },
  };
}
