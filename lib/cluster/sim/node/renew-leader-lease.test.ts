import { describe, expect, it } from "vitest";
import { ObjectStore } from "@/lib/cluster/sim/store/object-store";
import { RESOURCE_TYPES } from "@/lib/cluster/sim/store/resource-types";
import { renewLeaderLease } from "./renew-leader-lease";

const t0 = new Date("2026-11-21T08:00:00.123Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
type LeaseSpec = { holderIdentity: string; acquireTime: string; renewTime: string; leaseTransitions: number; leaseDurationSeconds: number };

function lease(store: ObjectStore): LeaseSpec {
  return store.get("leases.coordination.k8s.io", "kube-system", "kube-scheduler")!.spec as LeaseSpec;
}

/** A store as bootstrap leaves it for leases: kube-system exists. */
function storeWithKubeSystem(): ObjectStore {
  const store = new ObjectStore(RESOURCE_TYPES);
  store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-system" } });
  return store;
}

describe("leader lease renewal", () => {
  it("creates the lease on first lead, with microsecond times", () => {
    const store = storeWithKubeSystem();
    renewLeaderLease(store, "kube-scheduler", "cp_a", t0);
    expect(lease(store)).toEqual({ holderIdentity: "cp_a", leaseDurationSeconds: 15, acquireTime: "2026-11-21T08:00:00.123000Z", renewTime: "2026-11-21T08:00:00.123000Z", leaseTransitions: 0 });
  });

  it("renews at most every 2 s while the holder stays the same", () => {
    const store = storeWithKubeSystem();
    renewLeaderLease(store, "kube-scheduler", "cp_a", t0);
    renewLeaderLease(store, "kube-scheduler", "cp_a", at(1_999));
    expect(lease(store).renewTime).toBe("2026-11-21T08:00:00.123000Z");
    renewLeaderLease(store, "kube-scheduler", "cp_a", at(2_000));
    expect(lease(store).renewTime).toBe("2026-11-21T08:00:02.123000Z");
    expect(lease(store).acquireTime).toBe("2026-11-21T08:00:00.123000Z");
  });

  it("counts a transition and a new acquireTime when another holder takes it", () => {
    const store = storeWithKubeSystem();
    renewLeaderLease(store, "kube-scheduler", "cp_a", t0);
    renewLeaderLease(store, "kube-scheduler", "cp_b", at(500));
    expect(lease(store)).toMatchObject({ holderIdentity: "cp_b", acquireTime: "2026-11-21T08:00:00.623000Z", leaseTransitions: 1 });
  });

  it("writes nothing, and does not throw, while the store has no kube-system (an emptied etcd)", () => {
    const store = new ObjectStore(RESOURCE_TYPES);
    expect(() => renewLeaderLease(store, "kube-scheduler", "cp_a", t0)).not.toThrow();
    expect(store.get("leases.coordination.k8s.io", "kube-system", "kube-scheduler")).toBeUndefined();
  });
});
