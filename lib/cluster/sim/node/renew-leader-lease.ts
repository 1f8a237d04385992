import type { ObjectStore } from "@/lib/cluster/sim/store/object-store";
import type { ControllerComponent } from "./components/kube-controller-model";

const LEASES = "leases.coordination.k8s.io";

/**
 * The leader's Lease in kube-system, as leader election keeps it: created on first lead, renewed
 * at most every 2 s, and a new holder counts a transition (with a new acquireTime).
 */
export function renewLeaderLease(store: ObjectStore, component: ControllerComponent, holder: string, now: Date): void {
  // Leases carry microseconds (RFC 3339 with six fraction digits).
  const t = now.toISOString().replace("Z", "000Z").replace(/(\.\d{6})\d*Z$/, "$1Z");
  try {
    const cur = store.get(LEASES, "kube-system", component) as { spec?: Record<string, unknown> } | undefined;
    if (!cur) {
      store.create(LEASES, {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name: component, namespace: "kube-system" },
        spec: { holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: t, renewTime: t, leaseTransitions: 0 },
      });
      return;
    }
    const spec = cur.spec ?? {};
    const changed = spec.holderIdentity !== holder;
    const last = typeof spec.renewTime === "string" ? new Date(spec.renewTime).getTime() : 0;
    if (!changed && now.getTime() - last < 2000) return;
    store.update(
      LEASES,
      {
        ...(cur as unknown as Parameters<ObjectStore["update"]>[1]),
        spec: {
          ...spec,
          holderIdentity: holder,
          renewTime: t,
          ...(changed ? { acquireTime: t, leaseTransitions: Number(spec.leaseTransitions ?? 0) + 1 } : {}),
        },
      },
      { force: true },
    );
  } catch {
    // A store swapped for an empty etcd has no kube-system yet; the next tick retries.
  }
}
