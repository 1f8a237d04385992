import { afterEach, describe, expect, it } from "vitest";
import { ConflictError } from "@/lib/errors";
import { createFakeLabDeps, fakePack, type FakeLabDeps } from "@/lib/labs/fake-lab-deps";
import { startLabSession } from "@/lib/labs/start-lab-session";
import { waitFor } from "@/lib/scenarios/wait-for";

let deps: FakeLabDeps | undefined;
afterEach(async () => {
  await deps?.cleanup();
  deps = undefined;
});

describe("a class's attempt cap at lab start", () => {
  it("refuses a new lab once the learner has used the assignment's attempts, and still resumes a live one", async () => {
    deps = createFakeLabDeps();
    const d = deps;
    const teacher = await d.db.user.create({ data: { name: "teacher" } });
    const learner = await d.db.user.create({ data: { name: "learner" } });
    const c = await d.db.class.create({ data: { name: "Tuesday", ownerId: teacher.id, joinCode: "abcdefghjkmn" } });
    await d.db.classMember.create({ data: { classId: c.id, userId: learner.id } });
    await d.db.assignment.create({ data: { classId: c.id, kind: "pack", target: fakePack.id, maxAttempts: 1, createdAt: d.now() } });

    const first = await startLabSession(d, { userId: learner.id, scenario: fakePack.id });
    expect(first.resumed).toBe(false);
    expect(await startLabSession(d, { userId: learner.id, scenario: fakePack.id })).toEqual({ id: first.id, resumed: true });
    await waitFor(async () => (await d.db.labSession.findUniqueOrThrow({ where: { id: first.id } })).state === "ready", {
      timeoutMs: 20_000,
      intervalMs: 50,
      what: "the first lab to be ready",
    });
    await d.db.labSession.update({ where: { id: first.id }, data: { state: "abandoned", endedAt: d.now() } });

    const second = startLabSession(d, { userId: learner.id, scenario: fakePack.id });
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(second).rejects.toThrow(/used all 1 attempts that "Tuesday" allows/);
    expect(await d.db.labSession.count({ where: { userId: learner.id } })).toBe(1);
  });
});
