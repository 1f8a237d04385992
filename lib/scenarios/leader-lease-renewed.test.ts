import { describe, expect, it } from "vitest";
import { checks } from "./checks";
import type { K8sApis, ScenarioContext } from "./context";

/**
 * checks.leaderLeaseRenewed on Leases shaped as client-go's leader election writes them
 * (renewTime/acquireTime as MicroTime, leaseDurationSeconds 15), against a fixed cluster clock.
 */

const NOW = new Date("2026-12-02T18:00:00.000Z");
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);

function ctxWith(lease: { renewTime?: Date; acquireTime?: Date; leaseDurationSeconds?: number } | 404 | Error): ScenarioContext {
  const coordination = {
    readNamespacedLease: async ({ name, namespace }: { name: string; namespace: string }) => {
      expect([namespace, name]).toEqual(["kube-system", "kube-scheduler"]);
      if (lease === 404) throw Object.assign(new Error("not found"), { code: 404 });
      if (lease instanceof Error) throw lease;
      return { metadata: { name, namespace }, spec: { holderIdentity: "vm_0b1c", leaseDurationSeconds: 15, leaseTransitions: 3, ...lease } };
    },
  };
  return { k8s: { coordination } as unknown as K8sApis, clock: { timeScale: 1, now: () => NOW } } as unknown as ScenarioContext;
}

const run = (ctx: ScenarioContext) => checks.leaderLeaseRenewed({ name: "kube-scheduler", heldSeconds: 15 })(ctx);

describe("checks.leaderLeaseRenewed", () => {
  it("passes a lease renewed 2 s ago by a holder that took it 10 minutes ago", async () => {
    expect(await run(ctxWith({ renewTime: ago(2), acquireTime: ago(600) }))).toEqual({ ok: true, message: "The leader lease kube-system/kube-scheduler is held and renewed." });
  });

  it("fails a lease whose holder stopped renewing it longer ago than its duration", async () => {
    const r = await run(ctxWith({ renewTime: ago(40), acquireTime: ago(600) }));
    expect(r.ok).toBe(false);
    expect(r.detail).toEqual({ actual: "last renewed 40 s ago", expected: "renewed within the last 15 s" });
  });

  it("fails a lease freshly taken by a new holder, as each start of a crash-looping leader does", async () => {
    const r = await run(ctxWith({ renewTime: ago(1), acquireTime: ago(1) }));
    expect(r.ok).toBe(false);
    expect(r.message).toBe("The leader lease kube-system/kube-scheduler has not been held steadily yet.");
  });

  it("fails a missing lease and an API that does not answer, without naming a cause", async () => {
    expect((await run(ctxWith(404))).message).toBe("Nobody holds the leader lease kube-system/kube-scheduler.");
    const down = await run(ctxWith(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED" })));
    expect(down.ok).toBe(false);
    expect(down.message).toContain("The API server is not answering");
  });
});
