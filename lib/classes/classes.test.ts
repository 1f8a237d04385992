import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, ForbiddenError, InputError, NotFoundError } from "@/lib/errors";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMigrations } from "@/lib/server/migrate";
import { addAssignment } from "./add-assignment";
import { assertAttemptAllowed } from "./assert-attempt-allowed";
import type { ClassActor } from "./class-actor";
import { classBoard } from "./class-board";
import { classResults } from "./class-results";
import { createClass } from "./create-class";
import { joinClass } from "./join-class";
import { learnerClasses } from "./learner-classes";
import { loadClassForInstructor } from "./load-class-for-instructor";
import { manageClass } from "./manage-class";
import { taughtClasses } from "./taught-classes";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-classes-"));
const url = `file:${path.join(dir, "test.db")}`;
let prisma: PrismaClient;
let teacher: ClassActor;
let otherTeacher: ClassActor;
let admin: ClassActor;
let ann: ClassActor;
let bob: ClassActor;
const installed = { hasPack: (s: string) => ["hello-pod", "etcd-crashloop"].includes(s), hasExam: (s: string) => s === "cka-mini" };

async function user(name: string, role: ClassActor["role"]): Promise<ClassActor> {
  const u = await prisma.user.create({ data: { name, email: `${name}@example.test` } });
  return { id: u.id, role };
}

async function lab(userId: string, over: { state: string; score?: number; maxScore?: number; ready?: boolean; startedAt?: Date }) {
  const startedAt = over.startedAt ?? new Date();
  return prisma.labSession.create({
    data: {
      userId,
      scenarioId: "hello-pod",
      variantId: "default",
      driver: "sim",
      state: over.state,
      score: over.score ?? 0,
      maxScore: over.maxScore ?? 0,
      startedAt,
      readyAt: over.ready === false ? null : startedAt,
      endedAt: ["provisioning", "ready", "checking"].includes(over.state) ? null : new Date(startedAt.getTime() + 60_000),
    },
  });
}

beforeAll(async () => {
  applyMigrations(url);
  prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
  teacher = await user("teacher", "instructor");
  otherTeacher = await user("other", "instructor");
  admin = await user("admin", "admin");
  ann = await user("ann", "learner");
  bob = await user("bob", "learner");
});
afterAll(async () => {
  await prisma?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("classes", () => {
  it("only instructors create classes, and a name is required", async () => {
    await expect(createClass(prisma, ann, { name: "mine" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createClass(prisma, teacher, { name: "   " })).rejects.toThrow(/name: give the class a name/);
    expect(await prisma.class.count()).toBe(0);
  });

  it("learners join by the code, once; a wrong, renewed or archived code opens nothing", async () => {
    const c = await createClass(prisma, teacher, { name: "CKA Tuesday" });
    expect(await joinClass(prisma, ann.id, c.joinCode)).toEqual({ classId: c.id, name: "CKA Tuesday", joined: true });
    expect((await joinClass(prisma, ann.id, c.joinCode)).joined).toBe(false);
    await expect(joinClass(prisma, bob.id, "not-a-code")).rejects.toBeInstanceOf(NotFoundError);
    await manageClass(prisma, teacher, c.id, { op: "renew-join-code" });
    await expect(joinClass(prisma, bob.id, c.joinCode)).rejects.toBeInstanceOf(NotFoundError);
    const renewed = (await prisma.class.findUniqueOrThrow({ where: { id: c.id } })).joinCode;
    await manageClass(prisma, teacher, c.id, { op: "archive" });
    await expect(joinClass(prisma, bob.id, renewed)).rejects.toBeInstanceOf(NotFoundError);
    await manageClass(prisma, teacher, c.id, { op: "unarchive" });
    await joinClass(prisma, bob.id, renewed);
    expect(await prisma.classMember.count({ where: { classId: c.id } })).toBe(2);
  });

  it("another instructor cannot see or change a class; an admin can", async () => {
    const c = await createClass(prisma, teacher, { name: "private" });
    await expect(loadClassForInstructor(prisma, otherTeacher, c.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(loadClassForInstructor(prisma, ann, c.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(manageClass(prisma, otherTeacher, c.id, { op: "archive" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(addAssignment(prisma, otherTeacher, c.id, { kind: "pack", target: "hello-pod" }, installed)).rejects.toBeInstanceOf(NotFoundError);
    expect((await loadClassForInstructor(prisma, admin, c.id)).name).toBe("private");
    expect((await taughtClasses(prisma, otherTeacher)).map((x) => x.name)).not.toContain("private");
    expect((await taughtClasses(prisma, admin)).map((x) => x.name)).toContain("private");
    expect(await taughtClasses(prisma, ann)).toEqual([]);
  });

  it("rejects assignments of unknown packs, past due dates and unknown fields", async () => {
    const c = await createClass(prisma, teacher, { name: "validation" });
    await expect(addAssignment(prisma, teacher, c.id, { kind: "pack", target: "no-such-pack" }, installed)).rejects.toThrow(/there is no scenario pack "no-such-pack"/);
    await expect(addAssignment(prisma, teacher, c.id, { kind: "exam", target: "hello-pod" }, installed)).rejects.toThrow(/no exam blueprint/);
    await expect(addAssignment(prisma, teacher, c.id, { kind: "pack", target: "hello-pod", dueAt: "2020-01-01T00:00:00Z" }, installed)).rejects.toThrow(/already past/);
    await expect(addAssignment(prisma, teacher, c.id, { kind: "pack", target: "hello-pod", maxAttempts: 0 }, installed)).rejects.toBeInstanceOf(InputError);
    await expect(addAssignment(prisma, teacher, c.id, { kind: "pack", target: "hello-pod", points: 5 }, installed)).rejects.toThrow(/Unrecognized key/);
    expect(await prisma.assignment.count({ where: { classId: c.id } })).toBe(0);
  });

  it("grades the grid, caps attempts while the assignment is open, and shows who is in which lab", async () => {
    const c = await createClass(prisma, teacher, { name: "grid" });
    await joinClass(prisma, ann.id, c.joinCode);
    await joinClass(prisma, bob.id, c.joinCode);
    // Practice before the assignment existed does not count.
    await lab(ann.id, { state: "passed", score: 10, maxScore: 10, startedAt: new Date(Date.now() - 3600_000) });
    const a = await addAssignment(prisma, teacher, c.id, { kind: "pack", target: "hello-pod", maxAttempts: 2, dueAt: new Date(Date.now() + 86400_000).toISOString() }, installed);
    await addAssignment(prisma, teacher, c.id, { kind: "exam", target: "cka-mini" }, installed);

    await assertAttemptAllowed(prisma, ann.id, "pack", "hello-pod");
    await lab(ann.id, { state: "failed", score: 4, maxScore: 10 });
    await lab(ann.id, { state: "abandoned", ready: false }); // never became ready: the server's failure, not an attempt
    await assertAttemptAllowed(prisma, ann.id, "pack", "hello-pod");
    const live = await lab(ann.id, { state: "ready" });
    await prisma.checkRun.create({
      data: {
        labSessionId: live.id,
        durationMs: 5,
        score: 5,
        maxScore: 10,
        allPassed: false,
        results: JSON.stringify([
          { id: "a", title: "A", points: 5, ok: true, message: "ok", durationMs: 1 },
          { id: "b", title: "B", points: 5, ok: false, message: "not yet", durationMs: 1 },
        ]),
      },
    });
    const refused = assertAttemptAllowed(prisma, ann.id, "pack", "hello-pod");
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toThrow(/used all 2 attempts that "grid" allows/);
    // Bob's attempts, and an exam, are other cells.
    await assertAttemptAllowed(prisma, bob.id, "pack", "hello-pod");
    await assertAttemptAllowed(prisma, ann.id, "exam", "cka-mini");

    const grid = await classResults(prisma, c.id);
    expect(grid.assignments.map((x) => `${x.kind}:${x.target}`)).toEqual(["pack:hello-pod", "exam:cka-mini"]);
    const annRow = grid.rows.find((r) => r.userId === ann.id)!;
    expect(annRow.cells[0]).toMatchObject({ status: "in-progress", attemptsUsed: 2, attemptsAllowed: 2, exhausted: true, scorePercent: 40 });
    expect(annRow.cells[1]).toMatchObject({ status: "not-started", attemptsUsed: 0 });
    expect(grid.rows.find((r) => r.userId === bob.id)!.cells[0]).toMatchObject({ status: "not-started" });

    const board = await classBoard(prisma, c.id);
    const annBoard = board.find((r) => r.userId === ann.id)!;
    expect(annBoard.labs).toHaveLength(1);
    expect(annBoard.labs[0]).toMatchObject({ labId: live.id, scenarioId: "hello-pod", state: "ready", checksPassed: 1, checksTotal: 2, checkRuns: 1 });
    expect(board.find((r) => r.userId === bob.id)!.labs).toEqual([]);

    const mine = await learnerClasses(prisma, ann.id);
    expect(mine.find((x) => x.id === c.id)!.assignments[0]!.result).toMatchObject({ attemptsUsed: 2, exhausted: true });

    // Removing the assignment lifts the cap; an assignment id of another class is not found.
    await expect(manageClass(prisma, teacher, c.id, { op: "remove-assignment", assignmentId: "nope" })).rejects.toBeInstanceOf(NotFoundError);
    await manageClass(prisma, teacher, c.id, { op: "remove-assignment", assignmentId: a.id });
    await assertAttemptAllowed(prisma, ann.id, "pack", "hello-pod");
  });

  it("removing a member takes them off the roster and the board", async () => {
    const c = await createClass(prisma, teacher, { name: "roster" });
    await joinClass(prisma, bob.id, c.joinCode);
    await manageClass(prisma, teacher, c.id, { op: "remove-member", userId: bob.id });
    expect(await classBoard(prisma, c.id)).toEqual([]);
    await expect(manageClass(prisma, teacher, c.id, { op: "remove-member", userId: bob.id })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("class results as CSV", () => {
  it("has one line per learner and assignment, with the header first and CRLF line ends", async () => {
    const { classResultsCsv } = await import("./class-results-csv");
    const c = await createClass(prisma, teacher, { name: "csv" });
    await joinClass(prisma, ann.id, c.joinCode);
    await prisma.user.update({ where: { id: ann.id }, data: { name: "=ann" } });
    await addAssignment(prisma, teacher, c.id, { kind: "pack", target: "hello-pod", maxAttempts: 3 }, installed);
    const csv = classResultsCsv("csv", await classResults(prisma, c.id));
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("class,learner,email,kind,assignment,due_at,status,score_percent,attempts_used,attempts_allowed,uncounted_attempts,result_attempt_id");
    expect(lines[1]).toMatch(/^csv,'=ann,ann@example\.test,pack,hello-pod,,not-started,,0,3,0,$/);
    expect(lines).toHaveLength(3);
    await prisma.user.update({ where: { id: ann.id }, data: { name: "ann" } });
  });
});
