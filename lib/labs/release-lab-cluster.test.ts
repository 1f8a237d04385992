import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PersistentClusterControls } from "@/lib/cluster/ssh/persistent-cluster";
import type { NeedsInstructorMark } from "@/lib/cluster/ssh/needs-instructor";
import { createFakeLabDeps, FakeCluster, type FakeLabDeps } from "./fake-lab-deps";
import { releaseLabCluster } from "./release-lab-cluster";

/** A FakeCluster that behaves like the ssh driver's: it outlives labs and can be marked. */
class FakePersistentCluster extends FakeCluster implements PersistentClusterControls {
  readonly persistent = true as const;
  mark: NeedsInstructorMark | null = null;
  lease() {
    return null;
  }
  async acquire(holder: string) {
    return { cluster: this.name, holder, since: "", pid: 0, host: "" };
  }
  release() {
    return true;
  }
  needsInstructor() {
    return this.mark;
  }
  markNeedsInstructor(reason: string, context: Record<string, string> = {}) {
    this.mark = { cluster: this.name, reason, since: new Date().toISOString(), context };
    return this.mark;
  }
}

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

  it("marks a persistent cluster for an instructor when the solution does not make every check pass", async () => {
    const c = new FakePersistentCluster("trainer-2", 1);
    deps.findScenario = () => undefined; // the pack was removed: nothing can reset it
    await releaseLabCluster(deps, c, session);
    expect(c.mark?.reason).toMatch(/no longer installed/);
    expect(c.mark?.context).toEqual({ scenario: "fake-pack", variant: "both", lab: "lab1" });
    expect(c.destroyed).toBe(true);
  });
});
