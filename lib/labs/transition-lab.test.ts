import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFakeLabDeps, type FakeLabDeps } from "./fake-lab-deps";
import { IllegalLabTransitionError, recordProvisionStep, transitionLab } from "./transition-lab";

let deps: FakeLabDeps;
let id: string;

beforeEach(async () => {
  deps = createFakeLabDeps();
  const user = await deps.db.user.create({ data: { name: "learner" } });
  const lab = await deps.db.labSession.create({
    data: { userId: user.id, scenarioId: "fake-pack", variantId: "image", driver: "sim", state: "provisioning", provisionStep: "cluster" },
  });
  id = lab.id;
});
afterEach(async () => {
  await deps.cleanup();
});

const row = () => deps.db.labSession.findUniqueOrThrow({ where: { id } });

describe("transitionLab", () => {
  it("refuses a change the table does not allow, and leaves the lab as it was", async () => {
    await expect(transitionLab(deps, id, { from: "provisioning", to: "checking" })).rejects.toThrow(IllegalLabTransitionError);
    await expect(transitionLab(deps, id, { from: ["provisioning", "passed"], to: "ready" })).rejects.toThrow("A lab cannot go from passed to ready.");
    expect((await row()).state).toBe("provisioning");
  });

  it("moves the lab only from the state the caller saw (compare-and-set)", async () => {
    expect(await transitionLab(deps, id, { from: "ready", to: "checking" })).toBe(false);
    expect((await row()).state).toBe("provisioning");
    expect(await transitionLab(deps, id, { from: "provisioning", to: "ready" })).toBe(true);
    expect(await transitionLab(deps, id, { from: "ready", to: "checking" })).toBe(true);
    expect(await transitionLab(deps, id, { from: "ready", to: "checking" })).toBe(false);
    expect((await row()).state).toBe("checking");
  });

  it("records a failure in its typed columns and keeps the step that failed", async () => {
    await recordProvisionStep(deps, id, "inject");
    const endedAt = new Date("2026-11-21T09:05:00Z");
    await transitionLab(deps, id, { from: "provisioning", to: "failed", set: { endedAt, failure: { message: "The fault could not be injected: boom", hint: "Press Reset." } } });
    expect(await row()).toMatchObject({
      state: "failed",
      provisionStep: "inject",
      failureMessage: "The fault could not be injected: boom",
      failureHint: "Press Reset.",
      endedAt,
    });
  });

  it("a reset starts provisioning again at the first step with the failure cleared; ready ends provisioning", async () => {
    await recordProvisionStep(deps, id, "setup");
    await transitionLab(deps, id, { from: "provisioning", to: "failed", set: { failure: { message: "no", hint: null } } });
    await transitionLab(deps, id, { from: "failed", to: "provisioning" });
    expect(await row()).toMatchObject({ state: "provisioning", provisionStep: "cluster", failureMessage: null, failureHint: null });
    await transitionLab(deps, id, { from: "provisioning", to: "ready" });
    expect(await row()).toMatchObject({ state: "ready", provisionStep: null });
  });

  it("does not record a step once the lab has left provisioning", async () => {
    await transitionLab(deps, id, { from: "provisioning", to: "abandoned" });
    await recordProvisionStep(deps, id, "setup");
    expect((await row()).provisionStep).toBe("cluster");
  });

  it("with idleBefore, leaves a lab that was touched since alone", async () => {
    const touched = new Date("2026-11-21T10:00:00Z");
    await deps.db.labSession.update({ where: { id }, data: { lastActivityAt: touched } });
    expect(await transitionLab(deps, id, { from: "provisioning", to: "expired", idleBefore: new Date("2026-11-21T09:30:00Z") })).toBe(false);
    expect(await transitionLab(deps, id, { from: "provisioning", to: "expired", idleBefore: new Date("2026-11-21T10:30:00Z") })).toBe(true);
  });
});
