import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { attachedLabCluster } from "@/lib/labs/lab-clusters";
import { createFakeLabDeps, type FakeCluster, type FakeLabDeps } from "@/lib/labs/fake-lab-deps";
import { giveUpLab } from "@/lib/labs/end-lab";
import { startLabSession } from "@/lib/labs/start-lab-session";
import { instructorPanel } from "./instructor-panel";
import { previewChecks } from "./preview-checks";

let deps: FakeLabDeps;
let userId: string;

beforeEach(async () => {
  deps = createFakeLabDeps();
  userId = (await deps.db.user.create({ data: { name: "instructor" } })).id;
});
afterEach(async () => {
  await deps.cleanup();
});

async function readyLab(variant: string): Promise<string> {
  const { id } = await startLabSession(deps, { userId, scenario: "fake-pack", variant });
  await vi.waitFor(
    async () => {
      const { state } = await deps.db.labSession.findUniqueOrThrow({ where: { id } });
      if (state !== "ready") throw new Error(`lab is ${state}, waiting for ready`);
    },
    { timeout: 15_000, interval: 10 },
  );
  return id;
}

describe("the instructor panel's Run checks", () => {
  it("runs every check on the live cluster and records nothing: no check run, no score, no state change", async () => {
    const id = await readyLab("both");
    const before = await deps.db.labSession.findUniqueOrThrow({ where: { id } });
    const first = await previewChecks(deps, id, userId);
    expect(first.results.map((r) => [r.id, r.ok])).toEqual([
      ["image", false],
      ["replicas", false],
    ]);
    (attachedLabCluster(id) as FakeCluster).world.imageOk = true;
    expect((await previewChecks(deps, id, userId)).results.map((r) => r.ok)).toEqual([true, false]);
    expect(await deps.db.checkRun.count({ where: { labSessionId: id } })).toBe(0);
    const after = await deps.db.labSession.findUniqueOrThrow({ where: { id } });
    expect([after.state, after.score, after.maxScore]).toEqual([before.state, before.score, before.maxScore]);
  });

  it("is refused on someone else's lab (not found) and on an ended one", async () => {
    const id = await readyLab("image");
    const other = (await deps.db.user.create({ data: { name: "other" } })).id;
    await expect(previewChecks(deps, id, other)).rejects.toBeInstanceOf(NotFoundError);
    await giveUpLab(deps, id, userId);
    await expect(previewChecks(deps, id, userId)).rejects.toBeInstanceOf(ConflictError);
  });

  it("shows the lab's variant, the pack's checks and its solution", async () => {
    const id = await readyLab("both");
    const p = await instructorPanel(deps, id, userId);
    expect(p.variant).toEqual({ id: "both", title: "Bad image and replicas" });
    expect(p.checks.map((c) => c.id)).toEqual(["image", "replicas"]);
    expect(p.solution).toMatch(/Fix the tag/);
  });
});
