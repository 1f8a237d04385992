import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotFoundError } from "@/lib/errors";
import { fakePack } from "@/lib/labs/fake-lab-deps";
import { migratedTestDb } from "@/lib/testing/migrated-test-db";
import { attemptReport } from "./attempt-report";
import { exportCsv, exportQuerySchema } from "./export-csv";
import type { InstructorDeps } from "./instructor-deps";
import { instructorOverview } from "./instructor-overview";
import { packReport } from "./pack-report";

let t: ReturnType<typeof migratedTestDb>;
let deps: InstructorDeps;
let userId: string;
/** An admin sees every learner; instructors are tested below. */
const ADMIN = { id: "admin-viewer", role: "admin" as const };
const T0 = new Date("2026-12-01T10:00:00Z");
const at = (min: number) => new Date(T0.getTime() + min * 60_000);

const results = (failing: string[]) =>
  JSON.stringify(fakePack.checks.map((c) => ({ id: c.id, title: c.title, points: c.points, ok: !failing.includes(c.id), message: "m", durationMs: 1 })));

async function lab(o: { state: string; readyAt?: Date | null; endedAt?: Date; runs?: string[][]; hints?: number; resets?: number; variant?: string }) {
  const s = await t.prisma.labSession.create({
    data: {
      userId,
      scenarioId: "fake-pack",
      variantId: o.variant ?? "image",
      driver: "sim",
      state: o.state,
      startedAt: T0,
      readyAt: o.readyAt === undefined ? T0 : o.readyAt,
      endedAt: o.endedAt ?? null,
      resetCount: o.resets ?? 0,
      score: 6,
      maxScore: 10,
    },
  });
  for (const [i, failing] of (o.runs ?? []).entries())
    await t.prisma.checkRun.create({
      data: { labSessionId: s.id, createdAt: at(i + 1), durationMs: 5, score: 0, maxScore: 10, allPassed: failing.length === 0, results: results(failing) },
    });
  for (let i = 0; i < (o.hints ?? 0); i++) await t.prisma.hintUse.create({ data: { labSessionId: s.id, hintIndex: i, cost: 2 } });
  return s.id;
}

beforeEach(async () => {
  t = migratedTestDb("breakfix-instructor-");
  userId = (await t.prisma.user.create({ data: { name: "=Ada, \"the\" learner", email: "ada@example.test" } })).id;
  deps = {
    db: t.prisma,
    now: () => new Date("2026-12-03T08:00:00Z"),
    scenarios: () => ({
      scenarios: [{ slug: "fake-pack", pack: fakePack, brief: "b", solution: "s" }],
      problems: [{ slug: "broken-pack", file: "scenarios/broken-pack/scenario.ts", field: "checks", message: "must have at least one check" }],
    }),
    exams: () => ({ exams: [], problems: [{ slug: "bad-exam", file: "exams/bad-exam.ts", field: "tasks", message: "no such pack" }] }),
  };
});
afterEach(async () => {
  await t.cleanup();
});

describe("instructor overview", () => {
  it("lists every pack and blueprint, valid or not, with the validator's messages, self-tests per driver, attempts and pass rate", async () => {
    await lab({ state: "passed", endedAt: at(12), runs: [[]] });
    await lab({ state: "failed", endedAt: at(8), runs: [["image"]] });
    await lab({ state: "failed", readyAt: null }); // provisioning failure: not an attempt
    await t.prisma.selfTestRecord.createMany({
      data: [
        { scenarioId: "fake-pack", driver: "sim", variantId: "image", ok: false, durationMs: 1, steps: "[]", error: "old", createdAt: at(-60) },
        { scenarioId: "fake-pack", driver: "sim", variantId: "image", ok: true, durationMs: 1, steps: "[]", createdAt: at(-10) },
        { scenarioId: "fake-pack", driver: "sim", variantId: "both", ok: true, durationMs: 1, steps: "[]", createdAt: at(-9) },
        { scenarioId: "fake-pack", driver: "kind", variantId: "image", ok: false, durationMs: 1, steps: "[]", error: "solve: timed out", createdAt: at(-5) },
        { scenarioId: "fake-pack", driver: "kind", variantId: "gone", ok: true, durationMs: 1, steps: "[]", createdAt: at(-5) },
      ],
    });
    const o = await instructorOverview(deps, ADMIN);
    expect(o.packs.map((p) => [p.slug, p.valid])).toEqual([
      ["broken-pack", false],
      ["fake-pack", true],
    ]);
    expect(o.packs[0]!.problems).toEqual(["scenarios/broken-pack/scenario.ts → checks: must have at least one check"]);
    const fake = o.packs[1]!;
    expect(fake).toMatchObject({ attempts: 2, ended: 2, passed: 1, passRate: 0.5 });
    // The latest record per variant counts; a variant the pack no longer has is ignored.
    expect(fake.selfTests.map((s) => [s.driver, s.ok, s.passed, s.variants, s.untested, s.failing])).toEqual([
      ["kind", false, 0, 2, ["both"], [{ variant: "image", error: "solve: timed out" }]],
      ["sim", true, 2, 2, [], []],
    ]);
    expect(o.blueprints).toEqual([{ slug: "bad-exam", title: null, valid: false, problems: ["exams/bad-exam.ts → tasks: no such pack"], tasks: null, attempts: 0 }]);
  });
});

describe("pack report", () => {
  it("gives the pack's analytics and its attempts, newest first; an unknown pack is not found", async () => {
    await lab({ state: "passed", endedAt: at(10), runs: [["image"], []], hints: 1 });
    await lab({ state: "abandoned", endedAt: at(3), runs: [["replicas"]], resets: 2 });
    const r = await packReport(deps, "fake-pack", ADMIN);
    expect(r.analytics).toMatchObject({ attempts: 2, passed: 1, passRate: 0.5, medianTimeToPassMs: 600_000, hintUses: 1, resets: 2 });
    expect(r.analytics.mostFailedCheck?.id).toBe("replicas");
    expect(r.attempts).toHaveLength(2);
    await expect(packReport(deps, "nope", ADMIN)).rejects.toBeInstanceOf(NotFoundError);
    expect((await packReport(deps, "broken-pack", ADMIN)).attempts).toEqual([]);
  });
});

describe("attempt report", () => {
  it("shows any learner's attempt with each check run's results and the hints' texts", async () => {
    const id = await lab({ state: "failed", endedAt: at(9), runs: [["image", "replicas"], ["replicas"]], hints: 2, variant: "both" });
    const r = await attemptReport(deps, id, ADMIN);
    expect(r.variant).toEqual({ id: "both", title: "Bad image and replicas" });
    expect(r.learner.name).toBe('=Ada, "the" learner');
    expect(r.checkRuns.map((c) => c.results.map((x) => [x.id, x.ok]))).toEqual([
      [["image", false], ["replicas", false]],
      [["image", true], ["replicas", false]],
    ]);
    expect(r.hintsUsed.map((h) => [h.index, h.text])).toEqual([
      [0, "Look at the events."],
      [1, "Check the image tag."],
    ]);
    await expect(attemptReport(deps, "missing", ADMIN)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("CSV export", () => {
  it("exports attempts as RFC 4180 with formula-safe learner names", async () => {
    const id = await lab({ state: "failed", endedAt: at(9), runs: [["replicas"]], hints: 1 });
    const { filename, body } = await exportCsv(deps, { table: "attempts", pack: "fake-pack" }, ADMIN);
    expect(filename).toBe("breakfix-attempts-fake-pack-2026-12-03.csv");
    const lines = body.split("\r\n");
    expect(lines[0]).toBe(
      "attempt_id,pack,variant,learner,learner_email,driver,state,started_at,ready_at,ended_at,duration_s,score,max_score,check_runs,last_check_all_passed,last_check_failed,hints_used,hint_penalty,resets,exam_attempt_id",
    );
    expect(lines[1]).toBe(
      `${id},fake-pack,image,"'=Ada, ""the"" learner",ada@example.test,sim,failed,2026-12-01T10:00:00.000Z,2026-12-01T10:00:00.000Z,2026-12-01T10:09:00.000Z,540,6,10,1,false,replicas,1,2,0,`,
    );
    expect(lines.at(-1)).toBe("");
  });

  it("exports one line per pack with its analytics", async () => {
    await lab({ state: "passed", endedAt: at(10), runs: [[]] });
    const { body } = await exportCsv(deps, { table: "packs" }, ADMIN);
    const lines = body.split("\r\n");
    expect(lines[0]!.split(",")).toEqual([...(await import("./export-csv")).PACK_COLUMNS]);
    expect(lines[1]).toBe("broken-pack,,false,0,0,0,,,,,,0,0,0,0,");
    expect(lines[2]).toBe("fake-pack,Fake pack,true,1,1,1,1,600,,,,0,0,0,0,");
  });

  it("refuses a query it does not know, and an unknown pack", async () => {
    expect(exportQuerySchema.safeParse({ table: "users" }).success).toBe(false);
    expect(exportQuerySchema.safeParse({ table: "packs", pack: "../x" }).success).toBe(false);
    expect(exportQuerySchema.safeParse({ table: "packs", extra: "1" }).success).toBe(false);
    await expect(exportCsv(deps, { table: "packs", pack: "nope" }, ADMIN)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("what an instructor sees", () => {
  it("only the attempts of learners in the classes they teach (and their own); another learner's attempt is not found", async () => {
    const mine = await lab({ state: "passed", endedAt: at(10), runs: [[]] });
    const teacher = await t.prisma.user.create({ data: { name: "teacher", role: "instructor" } });
    const other = await t.prisma.user.create({ data: { name: "other", role: "instructor" } });
    const c = await t.prisma.class.create({ data: { name: "c", ownerId: teacher.id, joinCode: "abcdefghjkmn" } });
    const viewer = { id: teacher.id, role: "instructor" as const };
    const stranger = { id: other.id, role: "instructor" as const };

    // Ada is in no class yet: neither instructor sees her.
    await expect(attemptReport(deps, mine, viewer)).rejects.toBeInstanceOf(NotFoundError);
    expect((await packReport(deps, "fake-pack", viewer)).attempts).toEqual([]);
    expect((await instructorOverview(deps, viewer)).packs.find((p) => p.slug === "fake-pack")?.attempts).toBe(0);
    expect((await exportCsv(deps, { table: "attempts" }, viewer)).body.split("\r\n").filter(Boolean)).toHaveLength(1);

    await t.prisma.classMember.create({ data: { classId: c.id, userId } });
    expect((await attemptReport(deps, mine, viewer)).id).toBe(mine);
    expect((await packReport(deps, "fake-pack", viewer)).attempts.map((a) => a.id)).toEqual([mine]);
    expect((await instructorOverview(deps, viewer)).packs.find((p) => p.slug === "fake-pack")?.attempts).toBe(1);
    expect((await exportCsv(deps, { table: "attempts" }, viewer)).body).toContain(mine);
    // The other instructor teaches no class with Ada in it.
    await expect(attemptReport(deps, mine, stranger)).rejects.toBeInstanceOf(NotFoundError);
    expect((await exportCsv(deps, { table: "attempts" }, stranger)).body).not.toContain(mine);
  });
});
