import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { InputError } from "@/lib/errors";
import { expireIdleLabs } from "@/lib/labs/expire-idle-labs";
import { startLabSession } from "@/lib/labs/start-lab-session";
import { endExamAttempt } from "./end-exam-attempt";
import { parseAttemptDetail } from "./exam-result";
import { expireExamAttempts } from "./expire-exam-attempts";
import { createFakeExamDeps, type FakeExamDeps } from "./fake-exam-deps";
import { startExamAttempt } from "./start-exam-attempt";
import { reattachLabs } from "@/lib/labs/reattach-labs";
import { startExamHousekeeping, sweepExamAttempts } from "./start-exam-housekeeping";

let deps: FakeExamDeps;
let userId: string;

beforeEach(async () => {
  deps = createFakeExamDeps();
  userId = (await deps.labs.db.user.create({ data: { name: "learner" } })).id;
});
afterEach(async () => {
  // Background provisioning must finish before its database goes away.
  await vi.waitFor(async () => {
    expect(deps.queue.active()).toBe(0);
    expect(await deps.labs.db.labSession.count({ where: { state: "provisioning" } })).toBe(0);
  });
  await deps.cleanup();
});

const attemptOf = (id: string) =>
  deps.labs.db.examAttempt.findUniqueOrThrow({
    where: { id },
    include: { tasks: { include: { labSession: true }, orderBy: { position: "asc" } } },
  });

async function startedAndReady(mode?: "exam" | "practice") {
  const { id } = await startExamAttempt(deps, { userId, exam: "quiz", mode });
  await vi.waitFor(async () => {
    const a = await attemptOf(id);
    expect(a.tasks.every((t) => t.labSession?.state === "ready")).toBe(true);
    expect(a.state).toBe("running");
  });
  return attemptOf(id);
}

function gate() {
  let open = () => {};
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

/** Every task's cluster fully broken (variants are drawn per attempt and break different amounts). */
function breakAll() {
  for (const c of deps.labs.driverImpl.clusters.values()) c.world = { imageOk: false, replicasOk: false };
}

/** The learner fixes a task: its fake cluster's world is repaired. */
function solve(clusterName: string | null) {
  const c = deps.labs.driverImpl.clusters.get(clusterName ?? "");
  if (!c) throw new Error(`no cluster ${clusterName}`);
  c.world = { imageOk: true, replicasOk: true };
}

function advanceTo(ms: number) {
  deps.labs.clock.now = new Date(ms);
}

describe("an exam attempt", () => {
  it("draws its tasks with the attempt's seed and runs each as a lab session of the attempt", async () => {
    const a = await startedAndReady();
    expect(a.seed).toBe("seed-1");
    expect(a.tasks.map((t) => [t.position, t.weight])).toEqual([[0, 50], [1, 25], [2, 25]]);
    expect(a.tasks[0]!.scenarioId).toBe("fake-a");
    expect(new Set(a.tasks.map((t) => t.scenarioId)).size).toBe(3);
    expect(a.tasks.every((t) => t.labSession?.examAttemptId === a.id)).toBe(true);
    expect(new Set(a.tasks.map((t) => t.labSession?.clusterName)).size).toBe(3);
  });

  it("starts its timer only when a task's cluster is ready, and schedules the deadline on the server", async () => {
    const g = gate();
    deps.labs.driverImpl.gate = g.promise;
    const { id } = await startExamAttempt(deps, { userId, exam: "quiz" });
    await vi.waitFor(async () => expect((await attemptOf(id)).tasks.some((t) => t.labSession)).toBe(true));
    let a = await attemptOf(id);
    expect(a.state).toBe("provisioning");
    expect(a.deadline).toBeNull();
    deps.labs.clock.now = new Date("2026-11-21T09:05:00Z");
    g.open();
    deps.labs.driverImpl.gate = null;
    await vi.waitFor(async () => expect((await attemptOf(id)).state).toBe("running"));
    a = await attemptOf(id);
    expect(a.timerStartedAt?.toISOString()).toBe("2026-11-21T09:05:00.000Z");
    expect(a.deadline?.toISOString()).toBe("2026-11-21T09:25:00.000Z");
    expect(deps.scheduled.map((s) => s.at.toISOString())).toEqual(["2026-11-21T09:25:00.000Z"]);
  });

  it("prepares no more clusters at once than the queue allows", async () => {
    // Nothing runs in the background yet: the default deps were only created.
    await deps.cleanup();
    deps = createFakeExamDeps({ concurrency: 1 });
    userId = (await deps.labs.db.user.create({ data: { name: "learner" } })).id;
    const g = gate();
    deps.labs.driverImpl.gate = g.promise;
    const { id } = await startExamAttempt(deps, { userId, exam: "quiz" });
    await vi.waitFor(async () => expect((await attemptOf(id)).tasks[0]!.labSession).not.toBeNull());
    // The other two tasks reached the queue and are held there, not started.
    await vi.waitFor(() => expect(deps.queue.waiting()).toBe(2));
    expect((await attemptOf(id)).tasks.filter((t) => t.labSession).length).toBe(1);
    expect(deps.queue.active()).toBe(1);
    deps.labs.driverImpl.gate = null;
    g.open();
    await vi.waitFor(async () => expect((await attemptOf(id)).tasks.every((t) => t.labSession?.state === "ready")).toBe(true));
  });

  it("at its deadline, by the server's clock, grades every task and ends as timed-out", async () => {
    const a = await startedAndReady();
    breakAll();
    solve(a.tasks[1]!.labSession!.clusterName);
    advanceTo(a.deadline!.getTime() - 1000);
    expect(await expireExamAttempts(deps)).toEqual([]);
    advanceTo(a.deadline!.getTime());
    expect(await expireExamAttempts(deps)).toEqual([a.id]);
    const done = await attemptOf(a.id);
    expect(done.state).toBe("timed-out");
    expect(done.tasks.map((t) => t.labSession?.state)).toEqual(["failed", "passed", "failed"]);
    expect([done.score, done.maxScore, done.passed]).toEqual([25, 100, false]);
    const detail = parseAttemptDetail(done.detail);
    expect(detail.endReason).toBe("timed-out");
    expect(detail.score?.raw).toEqual({ score: 10, max: 30, percent: 33.3 });
    expect(detail.score?.byDomain).toEqual([{ domain: "workloads", score: 25, max: 100, percent: 25 }]);
    // Every task's cluster was released.
    expect([...deps.labs.driverImpl.clusters.values()].every((c) => c.destroyed)).toBe(true);
  });

  it("runs the scheduled deadline without any request", async () => {
    const a = await startedAndReady();
    advanceTo(a.deadline!.getTime());
    deps.scheduled[0]!.fn();
    await vi.waitFor(async () => expect((await attemptOf(a.id)).state).toBe("timed-out"));
  });

  it("passes at the mark on submit, and grades once when submit races the timer", async () => {
    const a = await startedAndReady();
    breakAll();
    solve(a.tasks[0]!.labSession!.clusterName);
    solve(a.tasks[1]!.labSession!.clusterName);
    advanceTo(a.deadline!.getTime());
    const [submitted, expired] = await Promise.all([endExamAttempt(deps, a.id, "submitted"), expireExamAttempts(deps)]);
    expect([submitted, expired.length === 1].filter(Boolean).length).toBe(1);
    const done = await attemptOf(a.id);
    expect(["submitted", "timed-out"]).toContain(done.state);
    expect([done.score, done.passed]).toEqual([75, true]);
    expect(await deps.labs.db.checkRun.count({ where: { labSessionId: a.tasks[0]!.labSessionId! } })).toBe(1);
  });

  it("is graded at server start when its time ran out while the server was down", async () => {
    const a = await startedAndReady();
    advanceTo(a.deadline!.getTime() + 3_600_000);
    await startExamHousekeeping(deps, { sweepMs: 3_600_000 });
    expect((await attemptOf(a.id)).state).toBe("timed-out");
  });

  it("finishes grading at server start when a restart interrupted it", async () => {
    const a = await startedAndReady();
    await deps.labs.db.examAttempt.update({ where: { id: a.id }, data: { state: "grading", detail: JSON.stringify({ endReason: "submitted" }) } });
    await startExamHousekeeping(deps, { sweepMs: 3_600_000 });
    const done = await attemptOf(a.id);
    expect(done.state).toBe("submitted");
    expect(done.tasks.every((t) => t.labSession?.state === "failed")).toBe(true);
  });

  it("runs untimed in practice mode: no deadline, never expired", async () => {
    const a = await startedAndReady("practice");
    expect(a.durationSeconds).toBe(0);
    expect(a.deadline).toBeNull();
    advanceTo(Date.parse("2030-01-01T00:00:00Z"));
    expect(await expireExamAttempts(deps)).toEqual([]);
  });

  it("refuses a mode the blueprint does not offer, and a second exam while one is live", async () => {
    await expect(startExamAttempt(deps, { userId, exam: "quiz", mode: "timed" })).rejects.toBeInstanceOf(InputError);
    const first = await startExamAttempt(deps, { userId, exam: "quiz" });
    expect(await startExamAttempt(deps, { userId, exam: "quiz" })).toEqual({ id: first.id, resumed: true });
    await vi.waitFor(async () => expect((await attemptOf(first.id)).state).toBe("running"));
    await endExamAttempt(deps, first.id, "submitted");
    const again = await startExamAttempt(deps, { userId, exam: "quiz" });
    expect(again.resumed).toBe(false);
    await vi.waitFor(async () => expect((await attemptOf(again.id)).state).toBe("running"));
    await expect(endExamAttempt(deps, first.id, "submitted")).resolves.toBe(false);
  });

  it("keeps its tasks out of the idle sweep and out of practice labs of the same pack", async () => {
    const a = await startedAndReady("practice");
    advanceTo(Date.parse("2026-11-21T15:00:00Z"));
    expect(await expireIdleLabs(deps.labs)).toEqual([]);
    const lab = await startLabSession(deps.labs, { userId, scenario: "fake-a" });
    expect(lab.resumed).toBe(false);
    expect(a.tasks.map((t) => t.labSessionId)).not.toContain(lab.id);
  });

  it("prepares again at server start the tasks a restart interrupted, then starts the timer", async () => {
    const g = gate();
    deps.labs.driverImpl.gate = g.promise;
    const { id } = await startExamAttempt(deps, { userId, exam: "quiz" });
    await vi.waitFor(async () => expect((await attemptOf(id)).tasks.filter((t) => t.labSession).length).toBe(2));
    // The restart: lib/labs fails the labs it finds mid-provisioning.
    await reattachLabs(deps.labs);
    expect((await attemptOf(id)).tasks.flatMap((t) => (t.labSession ? [t.labSession.state] : []))).toEqual(["failed", "failed"]);
    deps.labs.driverImpl.gate = null;
    g.open();
    await startExamHousekeeping(deps, { sweepMs: 3_600_000 });
    await vi.waitFor(async () => expect((await attemptOf(id)).tasks.every((t) => t.labSession?.state === "ready")).toBe(true));
    await sweepExamAttempts(deps);
    expect((await attemptOf(id)).state).toBe("running");
  });
});
