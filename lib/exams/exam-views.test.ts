import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { assertLabAction } from "./assert-lab-action";
import { getExamResults } from "./exam-results";
import { getExamView } from "./exam-view";
import { createFakeExamDeps, type FakeExamDeps } from "./fake-exam-deps";
import { flagExamTask } from "./flag-exam-task";
import { startExamAttempt } from "./start-exam-attempt";
import { submitExamAttempt } from "./submit-exam-attempt";

let deps: FakeExamDeps;
let userId: string;

beforeEach(async () => {
  deps = createFakeExamDeps();
  userId = (await deps.labs.db.user.create({ data: { name: "learner" } })).id;
});
afterEach(async () => {
  await vi.waitFor(async () => expect(await deps.labs.db.labSession.count({ where: { state: "provisioning" } })).toBe(0));
  await deps.cleanup();
});

async function running(mode?: "exam" | "practice") {
  const { id } = await startExamAttempt(deps, { userId, exam: "quiz", mode });
  await vi.waitFor(async () => {
    const v = await getExamView(deps, id, userId);
    expect(v.state).toBe("running");
    expect(v.tasks.every((t) => t.status === "ready")).toBe(true);
  });
  return getExamView(deps, id, userId);
}

describe("the exam page's data", () => {
  it("counts down from the server's deadline and says what the mode allows", async () => {
    const v = await running();
    expect(v.remainingMs).toBe(20 * 60_000);
    deps.labs.clock.now = new Date(Date.parse(v.deadline!) - 90_000);
    expect((await getExamView(deps, v.id, userId)).remainingMs).toBe(90_000);
    expect([v.hintsAllowed, v.resetAllowed]).toEqual([false, false]);
    expect(v.tasks.map((t) => t.weight)).toEqual([50, 25, 25]);
    expect(JSON.stringify(v)).not.toMatch(/variant|# Solution/i);
    expect(v.tasks.every((t) => t.solution === null)).toBe(true);
  });

  it("keeps flags across reads, and refuses another learner", async () => {
    const v = await running();
    await flagExamTask(deps, v.id, userId, 2, true);
    expect((await getExamView(deps, v.id, userId)).tasks.map((t) => t.flagged)).toEqual([false, false, true]);
    await flagExamTask(deps, v.id, userId, 2, false);
    expect((await getExamView(deps, v.id, userId)).tasks.every((t) => !t.flagged)).toBe(true);
    const other = await deps.labs.db.user.create({ data: { name: "other" } });
    await expect(getExamView(deps, v.id, other.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(flagExamTask(deps, v.id, other.id, 0, true)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("closes results, finish and give-up of a task while the exam runs, and checks, hints and reset in exam mode", async () => {
    const v = await running();
    const lab = v.tasks[0]!.labSessionId!;
    await expect(getExamResults(deps, v.id, userId)).rejects.toBeInstanceOf(ConflictError);
    for (const action of ["results", "finish", "give-up"] as const) await expect(assertLabAction(deps, lab, userId, action)).rejects.toBeInstanceOf(ConflictError);
    for (const action of ["check", "hint", "reset"] as const) await expect(assertLabAction(deps, lab, userId, action)).rejects.toBeInstanceOf(ForbiddenError);
    const other = await deps.labs.db.user.create({ data: { name: "other" } });
    await expect(assertLabAction(deps, lab, other.id, "results")).resolves.toBeUndefined();
    // A task whose cluster could not be prepared may be prepared again, even in exam mode.
    await deps.labs.db.labSession.update({ where: { id: v.tasks[1]!.labSessionId! }, data: { state: "failed", readyAt: null } });
    await expect(assertLabAction(deps, v.tasks[1]!.labSessionId!, userId, "reset")).resolves.toBeUndefined();
    await submitExamAttempt(deps, v.id, userId);
    await expect(assertLabAction(deps, lab, userId, "results")).resolves.toBeUndefined();
    await expect(submitExamAttempt(deps, v.id, userId)).rejects.toBeInstanceOf(ConflictError);
  });

  it("allows hints and reset in practice mode, and leaves labs outside exams alone", async () => {
    const v = await running("practice");
    await expect(assertLabAction(deps, v.tasks[0]!.labSessionId!, userId, "hint")).resolves.toBeUndefined();
    await expect(assertLabAction(deps, v.tasks[0]!.labSessionId!, userId, "reset")).resolves.toBeUndefined();
    await expect(assertLabAction(deps, "no-such-lab", userId, "results")).resolves.toBeUndefined();
  });

  it("gives results per domain, per task and per check once submitted", async () => {
    const v = await running();
    const c = deps.labs.driverImpl.clusters.get((await deps.labs.db.labSession.findUniqueOrThrow({ where: { id: v.tasks[0]!.labSessionId! } })).clusterName!)!;
    c.world = { imageOk: true, replicasOk: true };
    for (const t of v.tasks.slice(1)) {
      const name = (await deps.labs.db.labSession.findUniqueOrThrow({ where: { id: t.labSessionId! } })).clusterName!;
      deps.labs.driverImpl.clusters.get(name)!.world = { imageOk: false, replicasOk: true };
    }
    await submitExamAttempt(deps, v.id, userId);
    const r = await getExamResults(deps, v.id, userId);
    expect(r.state).toBe("submitted");
    expect(r.score.weighted).toEqual({ score: 70, max: 100, percent: 70 });
    expect(r.score.passed).toBe(true);
    expect(r.tasks.map((t) => [t.score, t.maxScore, t.weighted])).toEqual([[10, 10, 50], [4, 10, 10], [4, 10, 10]]);
    expect(r.tasks[1]!.finalCheck?.results.find((x) => x.id === "image")?.detail).toEqual({ actual: "ImagePullBackOff", expected: "Running" });
  });
});
