import { beforeEach, describe, expect, it } from "vitest";
import { FakePersistentCluster } from "./fake-lab-deps";
import { resetPersistentCluster } from "./reset-persistent-cluster";

let cluster: FakePersistentCluster;
beforeEach(() => {
  cluster = new FakePersistentCluster("lab1", 1);
});

const context = { scenario: "etcd-crashloop", variant: "bad-flag", lab: "ls-1" };

describe("resetPersistentCluster", () => {
  it("leaves the cluster unmarked when solve() makes every check pass", async () => {
    const r = await resetPersistentCluster(cluster, { context, timeoutMs: 1000, reset: async () => ({ ok: true, failures: [] }) });
    expect(r).toEqual({ ok: true });
    expect(cluster.needsInstructor()).toBeNull();
  });

  it("marks the cluster, naming the failing checks, when checks still fail", async () => {
    const r = await resetPersistentCluster(cluster, {
      context,
      timeoutMs: 1000,
      reset: async () => ({ ok: false, failures: ["etcd-healthy: etcd is not serving", "api-answers: no answer"] }),
    });
    expect(r.ok).toBe(false);
    expect(cluster.needsInstructor()).toMatchObject({
      reason: "after the scenario's solution, checks still fail: etcd-healthy: etcd is not serving; api-answers: no answer",
      context,
    });
  });

  it("marks the cluster when the reset throws", async () => {
    const r = await resetPersistentCluster(cluster, { context, timeoutMs: 1000, reset: async () => Promise.reject(new Error("kubectl: connection refused")) });
    expect(r).toMatchObject({ ok: false, reason: "the reset failed: kubectl: connection refused" });
    expect(cluster.needsInstructor()?.reason).toMatch(/connection refused/);
  });

  it("bounds the reset, aborts its signal and marks the cluster on timeout", async () => {
    let aborted = false;
    const r = await resetPersistentCluster(cluster, {
      context,
      timeoutMs: 100,
      reset: (signal) =>
        new Promise(() => {
          signal.addEventListener("abort", () => (aborted = true));
        }),
    });
    expect(r).toMatchObject({ ok: false, reason: "the reset (solve, then every check) did not finish within 100 ms" });
    expect(aborted).toBe(true);
    expect(cluster.needsInstructor()).not.toBeNull();
  });

  it("does not run again on a cluster that is already marked", async () => {
    cluster.markNeedsInstructor("earlier failure");
    let ran = false;
    const r = await resetPersistentCluster(cluster, { context, timeoutMs: 1000, reset: async () => ((ran = true), { ok: true, failures: [] }) });
    expect(ran).toBe(false);
    expect(r).toMatchObject({ ok: false, reason: "already marked: earlier failure" });
  });
});
