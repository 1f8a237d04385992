import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ScenarioPack } from "@/lib/scenarios/define-scenario";
import { createFakeLabDeps, fakePack, type FakeCluster, type FakeLabDeps } from "./fake-lab-deps";
import { attachedLabCluster } from "./lab-clusters";
import { startLabSession } from "./start-lab-session";

let deps: FakeLabDeps;
let userId: string;

beforeEach(async () => {
  deps = createFakeLabDeps();
  userId = (await deps.db.user.create({ data: { name: "learner" } })).id;
});
afterEach(async () => {
  await deps.cleanup();
});

/** The fake pack with a fault that shows `delayMs` after inject returns (as etcd's crash loop does). */
function slowFault(delayMs: number): ScenarioPack {
  return {
    ...fakePack,
    async inject(ctx, variant) {
      setTimeout(() => void fakePack.inject(ctx, variant), delayMs);
    },
  };
}

function usePack(pack: ScenarioPack): void {
  const loaded = deps.findScenario("fake-pack")!;
  deps.findScenario = (slug) => (slug === "fake-pack" ? { ...loaded, pack } : undefined);
}

async function waitForReady(id: string): Promise<number> {
  const t0 = Date.now();
  for (let i = 0; i < 1000; i++) {
    if ((await deps.db.labSession.findUniqueOrThrow({ where: { id } })).state === "ready") return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("the lab never became ready");
}

describe("a lab is ready only once its fault shows", () => {
  it("waits after inject until the variant's expected checks fail", async () => {
    usePack(slowFault(400));
    const { id } = await startLabSession(deps, { userId, scenario: "fake-pack", variant: "image" });
    await waitForReady(id);
    const world = (attachedLabCluster(id) as FakeCluster).world;
    expect(world).toEqual({ imageOk: false, replicasOk: true });
  });

  it("is ready anyway when the settle time runs out first", async () => {
    usePack({ ...fakePack, settleMs: 1_000, async inject() {} });
    const { id } = await startLabSession(deps, { userId, scenario: "fake-pack", variant: "image" });
    const ms = await waitForReady(id);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect((attachedLabCluster(id) as FakeCluster).world.imageOk).toBe(true);
  });
});
