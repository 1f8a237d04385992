import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFakeLabDeps, FakeCluster, fakePack, FakePersistentCluster, type FakeLabDeps } from "./fake-lab-deps";
import { releaseLabCluster } from "./release-lab-cluster";

let deps: FakeLabDeps;
beforeEach(() => {
  deps = createFakeLabDeps();
});
afterEach(async () => {
  await deps.cleanup();
});

const session = { id: "lab1", scenarioId: "fake-pack", variantId: "both" };

describe("giving a lab's cluster back", () => {
  it("destroys a throwaway cluster without touching it", async () => {
    const c = new FakeCluster("c1", 1);
    c.world.imageOk = false;
    await releaseLabCluster(deps, c, session);
    expect(c.destroyed).toBe(true);
    expect(c.world.imageOk).toBe(false);
  });

  it("resets a persistent cluster with the pack's solve() before releasing it", async () => {
    const c = new FakePersistentCluster("trainer-1", 1);
    c.world = { imageOk: false, replicasOk: false };
    await releaseLabCluster(deps, c, session);
    expect(c.world).toEqual({ imageOk: true, replicasOk: true });
    expect(c.mark).toBeNull();
    expect(c.destroyed).toBe(true);
  });

  it("gives a persistent cluster back after a lesson without running the lesson's steps or marking it", async () => {
    const c = new FakePersistentCluster("trainer-3", 1);
    deps.findScenario = () => undefined; // nothing to solve with: a lesson must not need it
    await releaseLabCluster(deps, c, { id: "lab2", scenarioId: "lesson-pod-create", variantId: "lesson" });
    expect(c.mark).toBeNull();
    expect(c.destroyed).toBe(true);
  });

  it("marks a persistent cluster for an instructor when the solution does not make every check pass", async () => {
    const c = new FakePersistentCluster("trainer-2", 1);
    deps.findScenario = () => undefined; // the pack was removed: nothing can reset it
    await releaseLabCluster(deps, c, session);
    expect(c.mark?.reason).toMatch(/no longer installed/);
    expect(c.mark?.context).toEqual({ scenario: "fake-pack", variant: "both", lab: "lab1" });
    expect(c.destroyed).toBe(true);
  });

  it("grades the reset like a learner's fix: a check that throws after solve() is a failing check, and the cluster is marked", async () => {
    const c = new FakePersistentCluster("trainer-3", 1);
    const scenario = deps.findScenario("fake-pack")!;
    const broken = {
      ...fakePack,
      checks: [
        ...fakePack.checks,
        { id: "api", title: "The API answers", points: 1, run: () => Promise.reject(new Error("connection refused")) },
      ],
    };
    deps.findScenario = () => ({ ...scenario, pack: broken });
    await releaseLabCluster(deps, c, session);
    expect(c.world).toEqual({ imageOk: true, replicasOk: true });
    expect(c.mark?.reason).toBe("after the scenario's solution, checks still fail: api: This check could not be completed; the cluster may still be settling.");
    expect(c.destroyed).toBe(true);
  });

  it("deletes the namespaces the lab created after a good reset, and forgets the baseline", async () => {
    const c = new FakePersistentCluster("trainer-4", 1);
    const namespaces = new Set(["default", "kube-system", "lab"]);
    c.kubectl = async (argv) => {
      if (argv[0] === "get" && argv[1] === "namespaces") {
        return { code: 0, stdout: JSON.stringify({ items: [...namespaces].map((name) => ({ metadata: { name } })) }), stderr: "" };
      }
      if (argv[0] === "get") return { code: 0, stdout: JSON.stringify({ items: [] }), stderr: "" };
      if (argv[0] === "delete" && argv[1] === "namespace") for (const n of argv.slice(2)) namespaces.delete(n);
      return { code: 0, stdout: "", stderr: "" };
    };
    c.saveBaseline({ takenAt: "2026-01-01T00:00:00Z", namespaces: ["default", "kube-system"], objects: [] });
    await releaseLabCluster(deps, c, session);
    expect([...namespaces]).toEqual(["default", "kube-system"]);
    expect(c.baseline()).toBeNull();
    expect(c.mark).toBeNull();
    expect(c.destroyed).toBe(true);
  });

  it("leaves what the lab created, and the baseline, on a cluster whose reset failed", async () => {
    const c = new FakePersistentCluster("trainer-5", 1);
    const baseline = { takenAt: "2026-01-01T00:00:00Z", namespaces: ["default"], objects: [] };
    c.saveBaseline(baseline);
    deps.findScenario = () => undefined;
    await releaseLabCluster(deps, c, session);
    // The fake context has no kubectl here: any cleanup attempt would have marked another reason.
    expect(c.mark?.reason).toMatch(/no longer installed/);
    expect(c.baseline()).toEqual(baseline);
  });
});
