import { describe, expect, it } from "vitest";
import { checks } from "./checks";
import type { K8sApis, ScenarioContext } from "./context";

/**
 * checks.leaderLeaseRenewed on Leases shaped as client-go's leader election writes them
 * (renewTime/acquireTime as MicroTime, leaseDurationSeconds 15), against a fixed cluster clock.
 */

const NOW = new Date("2026-12-02T18:00:00.000Z");
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);

type LeaseSpec = { holderIdentity?: string; renewTime?: Date; acquireTime?: Date; leaseDurationSeconds?: number };

/** Reads answer `leases` in turn (the last one repeats); a second look happens only for a stale one. */
function ctxWith(...leases: Array<LeaseSpec | 404 | Error>): ScenarioContext & { reads: () => number } {
  let reads = 0;
  const coordination = {
    readNamespacedLease: async ({ name, namespace }: { name: string; namespace: string }) => {
      expect([namespace, name]).toEqual(["kube-system", "kube-scheduler"]);
      const lease = leases[Math.min(reads++, leases.length - 1)]!;
      if (lease === 404) throw Object.assign(new Error("not found"), { code: 404 });
      if (lease instanceof Error) throw lease;
      return { metadata: { name, namespace }, spec: { holderIdentity: "vm_0b1c", leaseDurationSeconds: 15, leaseTransitions: 3, ...lease } };
    },
  };
  // timeScale 1000: the second look's 5 s wait is 5 ms here.
  return { k8s: { coordination } as unknown as K8sApis, clock: { timeScale: 1000, now: () => NOW }, signal: new AbortController().signal, reads: () => reads } as unknown as ScenarioContext & { reads: () => number };
}

const run = (ctx: ScenarioContext) => checks.leaderLeaseRenewed({ name: "kube-scheduler", heldSeconds: 15 })(ctx);

describe("checks.leaderLeaseRenewed", () => {
  it("passes a lease renewed 2 s ago by a holder that took it 10 minutes ago, at one look", async () => {
    const ctx = ctxWith({ renewTime: ago(2), acquireTime: ago(600) });
    expect(await run(ctx)).toEqual({ ok: true, message: "The leader lease kube-system/kube-scheduler is held and renewed." });
    expect(ctx.reads()).toBe(1);
  });

  it("passes a lease that looks old by this clock but is renewed between two looks (the holder's clock is behind)", async () => {
    const ctx = ctxWith({ renewTime: ago(60), acquireTime: ago(900) }, { renewTime: ago(58), acquireTime: ago(900) });
    expect((await run(ctx)).ok).toBe(true);
    expect(ctx.reads()).toBe(2);
  });

  it("fails a lease whose holder stopped renewing it longer ago than its duration", async () => {
    const r = await run(ctxWith({ renewTime: ago(40), acquireTime: ago(600) }));
    expect(r).toEqual({
      ok: false,
      message: "The leader lease kube-system/kube-scheduler is not being renewed.",
      detail: { actual: "last renewed by vm_0b1c 40 s ago", expected: "renewed within the last 15 s" },
    });
    // A new holder that renews between the looks is a different leader, not this one renewing.
    expect((await run(ctxWith({ renewTime: ago(40), acquireTime: ago(600) }, { holderIdentity: "other_1", renewTime: ago(39), acquireTime: ago(39) }))).ok).toBe(false);
  });

  it("fails a lease freshly taken by a new holder, as each start of a crash-looping leader does", async () => {
    const r = await run(ctxWith({ renewTime: ago(1), acquireTime: ago(4) }));
    expect(r).toMatchObject({
      ok: false,
      message: "The leader lease kube-system/kube-scheduler has not been held steadily yet.",
      detail: { actual: "held by its current holder for 3 s", expected: "held by one holder for at least 15 s" },
    });
  });

  it("fails a missing lease and an API that does not answer, without naming a cause", async () => {
    expect((await run(ctxWith(404))).message).toBe("Nobody holds the leader lease kube-system/kube-scheduler.");
    const down = await run(ctxWith(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED" })));
    expect(down.ok).toBe(false);
    expect(down.message).toContain("The API server is not answering");
  });
});
