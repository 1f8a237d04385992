import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConflictError, LimitError, NotFoundError, UnavailableError } from "@/lib/errors";
import { checkLab } from "./check-lab";
import { finishLab, giveUpLab } from "./end-lab";
import { expireIdleLabs } from "./expire-idle-labs";
import { createFakeLabDeps, type FakeCluster, type FakeLabDeps } from "./fake-lab-deps";
import { getCatalogueStatus } from "./catalogue-status";
import { isClusterInUse } from "./is-cluster-in-use";
import { attachedLabCluster, forgetLabCluster, getLabCluster } from "./lab-clusters";
import { getLabHistory } from "./lab-history";
import { subscribeProgress, type ProvisionProgress } from "./lab-progress";
import { getLabResults } from "./lab-results";
import { getLabView } from "./lab-view";
import { reattachLabs } from "./reattach-labs";
import { resetLab } from "./reset-lab";
import { revealHint } from "./reveal-hint";
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

/**
 * Waits until the lab (provisioned in the background) is in one of `states`. Bounded by a
 * deadline rather than a number of tries, so a loaded machine only makes it slower.
 */
function waitForState(id: string, states: string[]): Promise<string> {
  return vi.waitFor(
    async () => {
      const { state } = await deps.db.labSession.findUniqueOrThrow({ where: { id } });
      if (!states.includes(state)) throw new Error(`lab ${id} is ${state}, still waiting for ${states.join("|")}`);
      return state;
    },
    { timeout: 15_000, interval: 10 },
  );
}

async function readyLab(variant?: string): Promise<string> {
  const { id } = await startLabSession(deps, { userId, scenario: "fake-pack", variant });
  await waitForState(id, ["ready"]);
  return id;
}

function clusterOf(id: string): FakeCluster {
  const c = attachedLabCluster(id);
  if (!c) throw new Error("no cluster attached");
  return c as FakeCluster;
}

describe("starting a lab", () => {
  it("streams cluster → setup → inject → ready and leaves the session ready with its cluster recorded", async () => {
    const seen: string[] = [];
    let resolveGate!: () => void;
    deps.driverImpl.gate = new Promise((r) => (resolveGate = r));
    const { id } = await startLabSession(deps, { userId, scenario: "fake-pack" });
    const off = subscribeProgress(id, (p: ProvisionProgress) => {
      const running = p.steps.find((s) => s.status === "running")?.id;
      const line = p.done ? "done" : (running ?? "?");
      if (seen.at(-1) !== line) seen.push(line);
    });
    expect((await deps.db.labSession.findUniqueOrThrow({ where: { id } })).state).toBe("provisioning");
    resolveGate();
    await waitForState(id, ["ready"]);
    off();
    expect(seen).toEqual(["setup", "inject", "ready", "done"]);
    const s = await deps.db.labSession.findUniqueOrThrow({ where: { id } });
    expect(s.clusterName).toMatch(/^bf-[a-z0-9]+-[0-9a-f]{4}$/);
    expect(s.readyAt).not.toBeNull();
    expect(clusterOf(id).world.imageOk).toBe(false);
    const view = await getLabView(deps, id, userId);
    expect(view.driverLabel).toBe("Simulated cluster");
    expect(view.nodes.map((n) => n.role)).toEqual(["control-plane", "worker"]);
    expect(view.progress.done).toBe(true);
    expect(view.hints).toEqual([
      { index: 0, cost: 2, revealed: false },
      { index: 1, cost: 3, revealed: false },
    ]);
  });

  it("resumes the learner's live lab of the same scenario instead of starting a second one", async () => {
    const id = await readyLab();
    const again = await startLabSession(deps, { userId, scenario: "fake-pack" });
    expect(again).toEqual({ id, resumed: true });
  });

  it("refuses plainly when the driver cannot run here, saying what to do, and creates no session", async () => {
    deps.driverImpl.availability = { ok: false, missing: ["docker"] };
    const err = await startLabSession(deps, { userId, scenario: "fake-pack" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as UnavailableError).message).toContain("Simulated cluster cannot be used on this machine (missing: docker)");
    expect((err as UnavailableError).hint).toBeTruthy();
    expect(await deps.db.labSession.count()).toBe(0);
  });

  it("refuses a learner's fourth live lab, naming the three, and counts neither ended labs nor exam tasks", async () => {
    const row = (scenarioId: string, state: string) =>
      deps.db.labSession.create({ data: { userId, scenarioId, variantId: "v", driver: "sim", state, startedAt: new Date(), lastActivityAt: new Date() } });
    await row("alpha", "ready");
    await row("beta", "provisioning");
    await row("gamma", "passed");
    await row("delta", "ready");
    const err = await startLabSession(deps, { userId, scenario: "fake-pack" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimitError);
    expect((err as LimitError).message).toBe("You already have 3 labs running, the most allowed at once (alpha, beta, delta).");
    expect((err as LimitError).hint).toBe("Finish or give up one of them first; its cluster is then freed.");
    expect(await deps.db.labSession.count({ where: { scenarioId: "fake-pack" } })).toBe(0);
    // Another learner is not affected, and a higher cap lets this one start.
    const other = (await deps.db.user.create({ data: { name: "other" } })).id;
    const theirs = await startLabSession(deps, { userId: other, scenario: "fake-pack" });
    expect(theirs.resumed).toBe(false);
    deps.maxLiveLabsPerUser = 4;
    const mine = await startLabSession(deps, { userId, scenario: "fake-pack" });
    expect(mine.resumed).toBe(false);
    await waitForState(theirs.id, ["ready"]);
    await waitForState(mine.id, ["ready"]);
  });

  it("rejects an unknown scenario or variant", async () => {
    await expect(startLabSession(deps, { userId, scenario: "nope" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(startLabSession(deps, { userId, scenario: "fake-pack", variant: "nope" })).rejects.toThrow(/no variant "nope"/);
  });
});

describe("a failed provisioning", () => {
  it("is shown with the step, the reason and what to do; the cluster is removed; Reset tries again", async () => {
    await deps.cleanup();
    deps = createFakeLabDeps({ failInject: true });
    userId = (await deps.db.user.create({ data: { name: "learner" } })).id;
    const { id } = await startLabSession(deps, { userId, scenario: "fake-pack" });
    await waitForState(id, ["failed"]);
    const view = await getLabView(deps, id, userId);
    expect(view.progress.steps.find((s) => s.id === "inject")?.status).toBe("failed");
    expect(view.progress.error?.message).toBe("The fault could not be injected: inject exploded");
    expect(view.progress.error?.hint).toMatch(/Reset/);
    expect(view.failure).toEqual({ message: "The fault could not be injected: inject exploded", hint: expect.stringMatching(/Reset/) });
    expect([...deps.driverImpl.clusters.values()].every((c) => c.destroyed)).toBe(true);
    // Reset is allowed after a failed provisioning (the pack is still broken, so it fails again).
    await resetLab(deps, id, userId);
    await waitForState(id, ["failed"]);
    expect(deps.driverImpl.clusters.size).toBe(2);
  });
});

describe("checking, hints and scoring", () => {
  it("gives partial credit per check with the learner-safe message and actual-vs-expected detail", async () => {
    const id = await readyLab("both");
    clusterOf(id).world.imageOk = true;
    const out = await checkLab(deps, id, userId);
    expect(out.allPassed).toBe(false);
    expect(out.score).toBe(6);
    expect(out.maxScore).toBe(10);
    expect(out.results.map((r) => [r.id, r.ok])).toEqual([
      ["image", true],
      ["replicas", false],
    ]);
    const s = await deps.db.labSession.findUniqueOrThrow({ where: { id } });
    expect([s.state, s.score, s.maxScore]).toEqual(["ready", 6, 10]);
  });

  it("a revealed hint lowers the score by its cost, charged once however often it is revealed", async () => {
    const id = await readyLab();
    const h = await revealHint(deps, id, userId, 1);
    expect(h).toEqual({ index: 1, text: "Check the image tag.", cost: 3 });
    await revealHint(deps, id, userId, 1);
    clusterOf(id).world.imageOk = true;
    const out = await checkLab(deps, id, userId);
    expect(out.allPassed).toBe(true);
    expect(out.score).toBe(7);
    expect(out.hintPenalty).toBe(3);
    const view = await getLabView(deps, id, userId);
    expect(view.hints[1]).toEqual({ index: 1, cost: 3, revealed: true, text: "Check the image tag." });
    expect(view.hints[0]?.text).toBeUndefined();
    await expect(revealHint(deps, id, userId, 7)).rejects.toThrow(/no hint number 8/);
  });

  it("refuses a second check while one is running", async () => {
    const id = await readyLab();
    await deps.db.labSession.update({ where: { id }, data: { state: "checking" } });
    await expect(checkLab(deps, id, userId)).rejects.toBeInstanceOf(ConflictError);
  });

  it("answers someone else's lab exactly like a missing one", async () => {
    const id = await readyLab();
    const other = (await deps.db.user.create({ data: { name: "other" } })).id;
    await expect(getLabView(deps, id, other)).rejects.toBeInstanceOf(NotFoundError);
    await expect(checkLab(deps, id, other)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("ending a lab", () => {
  it("Finish grades once more, ends passed, destroys the cluster, closes terminals and fills history", async () => {
    const id = await readyLab();
    const cluster = clusterOf(id);
    cluster.world.imageOk = true;
    const r = await finishLab(deps, id, userId);
    expect(r.state).toBe("passed");
    expect(cluster.destroyed).toBe(true);
    expect(deps.closed).toContain(id);
    const results = await getLabResults(deps, id, userId);
    expect(results.score).toBe(10);
    expect(results.solution).toContain("Fix the tag");
    expect(results.finalCheck?.allPassed).toBe(true);
    const history = await getLabHistory(deps, userId);
    expect(history.sessions[0]).toMatchObject({ id, state: "passed", score: 10, maxScore: 10 });
    expect(history.best).toEqual([{ scenarioId: "fake-pack", title: "Fake pack", bestScore: 10, maxScore: 10, attempts: 1, solved: true }]);
    expect((await getCatalogueStatus(deps, userId)).get("fake-pack")).toEqual({
      status: "solved",
      bestScore: 10,
      maxScore: 10,
      liveLabId: null,
    });
  });

  it("Give up ends the lab abandoned with the last score, and the results show the solution", async () => {
    const id = await readyLab();
    await giveUpLab(deps, id, userId);
    const s = await deps.db.labSession.findUniqueOrThrow({ where: { id } });
    expect(s.state).toBe("abandoned");
    expect(s.endedAt).not.toBeNull();
    expect((await getLabResults(deps, id, userId)).solution).toContain("Solution");
    await expect(checkLab(deps, id, userId)).rejects.toBeInstanceOf(ConflictError);
    expect((await getCatalogueStatus(deps, userId)).get("fake-pack")?.status).toBe("attempted");
  });

  it("the results of a running lab are not shown (they would reveal the solution)", async () => {
    const id = await readyLab();
    await expect(getLabResults(deps, id, userId)).rejects.toBeInstanceOf(ConflictError);
  });

  it("Reset gives a fresh cluster with the same fault and keeps the hint charge", async () => {
    const id = await readyLab();
    await revealHint(deps, id, userId, 0);
    const first = clusterOf(id);
    first.world.imageOk = true;
    await resetLab(deps, id, userId);
    await waitForState(id, ["ready"]);
    const second = clusterOf(id);
    expect(first.destroyed).toBe(true);
    expect(second).not.toBe(first);
    expect(second.world.imageOk).toBe(false);
    expect((await getLabView(deps, id, userId)).hintPenalty).toBe(2);
  });

  it("counts each reset on the session, and a refused reset not at all", async () => {
    const id = await readyLab();
    const resets = async () => (await deps.db.labSession.findUniqueOrThrow({ where: { id } })).resetCount;
    expect(await resets()).toBe(0);
    let openGate!: () => void;
    deps.driverImpl.gate = new Promise((r) => (openGate = r));
    await resetLab(deps, id, userId);
    // Still provisioning (held at the gate): a second press is refused and is not a reset.
    await expect(resetLab(deps, id, userId)).rejects.toBeInstanceOf(ConflictError);
    expect(await resets()).toBe(1);
    openGate();
    await waitForState(id, ["ready"]);
    await resetLab(deps, id, userId);
    await waitForState(id, ["ready"]);
    expect(await resets()).toBe(2);
  });
});

describe("restart and expiry", () => {
  it("after a restart a ready lab re-attaches to its cluster; one mid-provisioning fails plainly", async () => {
    const id = await readyLab();
    const cluster = clusterOf(id);
    // A second lab stuck in provisioning when the server stopped.
    const stuck = await deps.db.labSession.create({
      data: { userId, scenarioId: "fake-pack", variantId: "image", driver: "sim", state: "provisioning" },
    });
    forgetLabCluster(id); // the new process knows no clusters
    const report = await reattachLabs(deps);
    expect(report).toEqual({ attached: [id], lost: [], interrupted: [stuck.id] });
    expect(await getLabCluster(deps, id)).toBe(cluster);
    const view = await getLabView(deps, stuck.id, userId);
    expect(view.state).toBe("failed");
    expect(view.progress.error?.message).toMatch(/server restarted/);
  });

  it("a lab whose cluster vanished during the restart is expired, not left spinning", async () => {
    const id = await readyLab();
    clusterOf(id).destroyed = true;
    forgetLabCluster(id);
    expect(await reattachLabs(deps)).toMatchObject({ lost: [id] });
    expect((await deps.db.labSession.findUniqueOrThrow({ where: { id } })).state).toBe("expired");
  });

  it("expires labs idle beyond the limit and frees their clusters; busy ones stay", async () => {
    const idle = await readyLab();
    const cluster = clusterOf(idle);
    expect(await isClusterInUse(deps, cluster.name)).toBe(true);
    deps.clock.now = new Date(deps.clock.now.getTime() + deps.idleLimitMs + 1000);
    const expired = await expireIdleLabs(deps);
    expect(expired).toEqual([idle]);
    expect(cluster.destroyed).toBe(true);
    expect(await isClusterInUse(deps, cluster.name)).toBe(false);
    expect(await expireIdleLabs(deps)).toEqual([]);
    expect((await getLabResults(deps, idle, userId)).failure?.message).toMatch(/^Expired after 60 minutes without activity/);
  });
});
