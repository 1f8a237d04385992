import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConflictError, InputError } from "@/lib/errors";
import { checkLab } from "@/lib/labs/check-lab";
import { endExamAttempt } from "./end-exam-attempt";
import { getExamHistory } from "./exam-history";
import { saveExamNotes } from "./exam-notes";
import { getExamResults } from "./exam-results";
import { getExamView } from "./exam-view";
import { expireExamAttempts } from "./expire-exam-attempts";
import { createFakeExamDeps, type FakeExamDeps } from "./fake-exam-deps";
import { startExamAttempt } from "./start-exam-attempt";
import { recordTaskFocus } from "./task-focus";

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

const storedNotes = async (id: string) => (await deps.labs.db.examAttempt.findUniqueOrThrow({ where: { id } })).notes;
const later = (ms: number) => (deps.labs.clock.now = new Date(deps.labs.clock.now.getTime() + ms));

describe("the exam notepad", () => {
  it("keeps its text while the attempt runs, and is wiped on the server when it is submitted", async () => {
    const v = await running();
    await saveExamNotes(deps, v.id, userId, "etcd: check the manifest's --data-dir");
    expect((await getExamView(deps, v.id, userId)).notes).toBe("etcd: check the manifest's --data-dir");
    await endExamAttempt(deps, v.id, "submitted");
    expect(await storedNotes(v.id)).toBe("");
    expect((await getExamView(deps, v.id, userId)).notes).toBe("");
    await expect(saveExamNotes(deps, v.id, userId, "too late")).rejects.toBeInstanceOf(ConflictError);
    expect(await storedNotes(v.id)).toBe("");
  });

  it("is wiped when the time runs out", async () => {
    const v = await running();
    await saveExamNotes(deps, v.id, userId, "task 2: kubelet?");
    deps.labs.clock.now = new Date(v.deadline!);
    expect(await expireExamAttempts(deps)).toEqual([v.id]);
    expect(await storedNotes(v.id)).toBe("");
  });

  it("is wiped when the attempt is cancelled because no task could be prepared", async () => {
    await deps.cleanup();
    deps = createFakeExamDeps({ failInject: true });
    userId = (await deps.labs.db.user.create({ data: { name: "learner" } })).id;
    let open = () => {};
    deps.labs.driverImpl.gate = new Promise<void>((r) => (open = r));
    const { id } = await startExamAttempt(deps, { userId, exam: "quiz" });
    await saveExamNotes(deps, id, userId, "written while it was being prepared");
    expect(await storedNotes(id)).toBe("written while it was being prepared");
    deps.labs.driverImpl.gate = null;
    open();
    await vi.waitFor(async () => expect((await deps.labs.db.examAttempt.findUniqueOrThrow({ where: { id } })).state).toBe("cancelled"));
    expect(await storedNotes(id)).toBe("");
  });

  it("is someone's own: another learner cannot write it", async () => {
    const v = await running();
    const other = await deps.labs.db.user.create({ data: { name: "other" } });
    await expect(saveExamNotes(deps, v.id, other.id, "x")).rejects.toThrow(/no such exam attempt/);
  });
});

describe("time per task", () => {
  it("credits each task the time it was open on the page, by the server's clock, up to the end", async () => {
    const v = await running();
    await recordTaskFocus(deps, v.id, userId, 0);
    later(10_000);
    await recordTaskFocus(deps, v.id, userId, 0);
    later(10_000);
    await recordTaskFocus(deps, v.id, userId, 2); // 20 s on task 1, then task 3
    later(5_000);
    await recordTaskFocus(deps, v.id, userId, null); // the page was hidden: 5 s on task 3
    later(60_000);
    await recordTaskFocus(deps, v.id, userId, 1); // hidden time counts for nobody
    later(7_000);
    await endExamAttempt(deps, v.id, "submitted"); // the last 7 s go to task 2
    const r = await getExamResults(deps, v.id, userId);
    expect(r.tasks.map((t) => t.activeMs)).toEqual([20_000, 7_000, 5_000]);
    await expect(recordTaskFocus(deps, v.id, userId, 0)).rejects.toBeInstanceOf(ConflictError);
  });

  it("does not credit a gap too long to vouch for, and refuses a task the exam does not have", async () => {
    const v = await running();
    await recordTaskFocus(deps, v.id, userId, 0);
    later(10 * 60_000);
    await recordTaskFocus(deps, v.id, userId, 0);
    expect((await deps.labs.db.examTask.findMany({ where: { attemptId: v.id } })).every((t) => t.activeMs === 0)).toBe(true);
    await expect(recordTaskFocus(deps, v.id, userId, 7)).rejects.toBeInstanceOf(InputError);
  });
});

describe("solutions and replays", () => {
  it("opens a task's solution in practice mode once it has been checked, not before", async () => {
    const v = await running("practice");
    expect(v.tasks.every((t) => t.solution === null)).toBe(true);
    await checkLab(deps.labs, v.tasks[1]!.labSessionId!, userId);
    const after = await getExamView(deps, v.id, userId);
    expect(after.tasks.map((t) => t.solution)).toEqual([null, expect.stringMatching(/^# Solution of fake-/), null]);
  });

  it("keeps solutions closed in a timed mode until the results, which give each task's solution and recordings", async () => {
    const v = await running();
    await deps.labs.db.terminalRecording.create({ data: { labSessionId: v.tasks[0]!.labSessionId!, node: "cp", path: "/nowhere.cast", bytes: 12 } });
    expect((await getExamView(deps, v.id, userId)).tasks.every((t) => t.solution === null)).toBe(true);
    await endExamAttempt(deps, v.id, "submitted");
    const r = await getExamResults(deps, v.id, userId);
    expect(r.tasks[0]!.solution).toBe("# Solution of fake-a");
    expect(r.tasks.map((t) => t.recordings.map((x) => [x.node, x.bytes]))).toEqual([[["cp", 12]], [], []]);
  });
});

describe("history of one exam", () => {
  it("lists the learner's graded attempts of that blueprint only, with their scores", async () => {
    const first = await running();
    await endExamAttempt(deps, first.id, "submitted");
    later(60_000);
    const second = await running();
    for (const c of deps.labs.driverImpl.clusters.values()) c.world = { imageOk: true, replicasOk: true };
    await endExamAttempt(deps, second.id, "submitted");
    const other = await deps.labs.db.user.create({ data: { name: "other" } });
    expect((await getExamHistory(deps, other.id, "quiz")).attempts).toEqual([]);
    const h = await getExamHistory(deps, userId, "quiz");
    expect(h.attempts.map((a) => [a.id, a.percent, a.passed])).toEqual([
      [second.id, 100, true],
      [first.id, expect.any(Number), false],
    ]);
    expect(h.trend).toHaveLength(2);
    expect(h.trend[1]).toEqual({ percent: 100, passed: true });
  });
});
