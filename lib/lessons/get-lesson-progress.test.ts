import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NotFoundError } from "@/lib/errors";
import { finishLab } from "@/lib/labs/end-lab";
import { resetLab } from "@/lib/labs/reset-lab";
import { createFakeLabDeps, type FakeLabDeps } from "@/lib/labs/fake-lab-deps";
import { startLabSession } from "@/lib/labs/start-lab-session";
import { defineLesson } from "./define-lesson";
import { getLessonProgress } from "./get-lesson-progress";
import { lessonAsScenario } from "./lesson-as-scenario";

/** What the learner has done to the (fake) cluster; the steps' checks read it. */
const world = { created: false, deleted: false, forced: false };

const step = (id: string, ok: () => boolean) => ({
  id,
  title: `Step ${id}`,
  text: `What step ${id} teaches, in a sentence or two.`,
  command: `kubectl ${id}`,
  async check() {
    return ok() ? { ok: true, message: `${id} happened.` } : { ok: false, message: `${id} has not happened yet.` };
  },
  async solve() {},
});

const lesson = defineLesson({
  id: "lesson-fake",
  title: "A fake lesson",
  summary: "Three steps on a cluster that is a plain object.",
  minutes: 5,
  cluster: { workers: 1 },
  steps: [
    step("create", () => world.created && !world.deleted),
    // Deleting undoes what the first step's check looks for: done steps must stay done.
    step("delete", () => world.deleted),
    step("force", () => world.forced),
  ],
});

let deps: FakeLabDeps;
let userId: string;

beforeEach(async () => {
  Object.assign(world, { created: false, deleted: false, forced: false });
  deps = createFakeLabDeps();
  const scenario = lessonAsScenario({ slug: lesson.id, lesson });
  deps.findScenario = (slug) => (slug === lesson.id ? scenario : undefined);
  userId = (await deps.db.user.create({ data: { name: "learner" } })).id;
});
afterEach(async () => {
  await deps.cleanup();
});

async function readyLesson(): Promise<string> {
  const { id } = await startLabSession(deps, { userId, scenario: lesson.id });
  await vi.waitFor(
    async () => {
      const { state } = await deps.db.labSession.findUniqueOrThrow({ where: { id } });
      if (state !== "ready") throw new Error(`lab is ${state}`);
    },
    { timeout: 15_000, interval: 10 },
  );
  return id;
}

const statuses = (p: { steps: { status: string }[] }) => p.steps.map((s) => s.status);

describe("getLessonProgress", () => {
  it("starts a lesson as a lab with the one lesson variant, on step 1, with the check's message", async () => {
    const id = await readyLesson();
    expect((await deps.db.labSession.findUniqueOrThrow({ where: { id } })).variantId).toBe("lesson");
    const p = await getLessonProgress(deps, id, userId);
    expect(statuses(p)).toEqual(["current", "todo", "todo"]);
    expect(p).toMatchObject({ current: 0, done: 0, total: 3, complete: false, state: "ready" });
    expect(p.steps[0]!.message).toBe("create has not happened yet.");
  });

  it("takes steps in order: a later step's state counts only once the earlier ones are done", async () => {
    const id = await readyLesson();
    world.forced = true;
    expect(statuses(await getLessonProgress(deps, id, userId))).toEqual(["current", "todo", "todo"]);
    world.created = true;
    // create passes, delete does not, so force is not looked at yet.
    expect(statuses(await getLessonProgress(deps, id, userId))).toEqual(["done", "current", "todo"]);
  });

  it("keeps a step done when a later step undoes its state, and records each advance as a CheckRun and score", async () => {
    const id = await readyLesson();
    world.created = true;
    await getLessonProgress(deps, id, userId);
    world.deleted = true; // the first step's check fails from now on
    const p = await getLessonProgress(deps, id, userId);
    expect(statuses(p)).toEqual(["done", "done", "current"]);
    const runs = await deps.db.checkRun.findMany({ where: { labSessionId: id }, orderBy: { createdAt: "asc" } });
    expect(runs.map((r) => r.score)).toEqual([1, 2]);
    expect((await deps.db.labSession.findUniqueOrThrow({ where: { id } })).score).toBe(2);
    // Polling without an advance records nothing new.
    await getLessonProgress(deps, id, userId);
    expect(await deps.db.checkRun.count({ where: { labSessionId: id } })).toBe(2);
  });

  it("finishes a completed lesson as passed although its first step's state is gone, and an incomplete one as failed", async () => {
    const id = await readyLesson();
    Object.assign(world, { created: true });
    await getLessonProgress(deps, id, userId);
    Object.assign(world, { deleted: true, forced: true });
    expect(await finishLab(deps, id, userId)).toEqual({ state: "passed" });
    expect((await deps.db.labSession.findUniqueOrThrow({ where: { id } })).score).toBe(3);

    Object.assign(world, { created: false, deleted: false, forced: false });
    const other = await readyLesson();
    expect(await finishLab(deps, other, userId)).toEqual({ state: "failed" });
  });

  it("starts over after a reset: the fresh cluster has none of the old one's steps done", async () => {
    const id = await readyLesson();
    world.created = true;
    expect(statuses(await getLessonProgress(deps, id, userId))).toEqual(["done", "current", "todo"]);
    world.created = false; // the new cluster is empty
    deps.clock.now = new Date(Date.now() + 60_000);
    await resetLab(deps, id, userId);
    expect(statuses(await getLessonProgress(deps, id, userId))).toEqual(["current", "todo", "todo"]);
    await vi.waitFor(
      async () => {
        const { state } = await deps.db.labSession.findUniqueOrThrow({ where: { id } });
        if (state !== "ready") throw new Error(`lab is ${state}`);
      },
      { timeout: 15_000, interval: 10 },
    );
    expect(statuses(await getLessonProgress(deps, id, userId))).toEqual(["current", "todo", "todo"]);
  });

  it("answers someone else's lab, and a lab that is not a lesson, as no such lesson", async () => {
    const id = await readyLesson();
    const stranger = (await deps.db.user.create({ data: { name: "other" } })).id;
    await expect(getLessonProgress(deps, id, stranger)).rejects.toBeInstanceOf(NotFoundError);
    const scenarioLab = await deps.db.labSession.create({ data: { userId, scenarioId: "fake-pack", variantId: "image", driver: "sim", state: "ready" } });
    await expect(getLessonProgress(deps, scenarioLab.id, userId)).rejects.toThrow("This lab is not a lesson.");
  });
});
