import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRoute, type RouteCall, type RouteHandler } from "@/lib/testing/call-route";

// Two real signed-in users in shared mode. getConfig() reads the environment once: set it first.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-ownership-"));
const saved = { ...process.env };
Object.assign(process.env, {
  BREAKFIX_MODE: "shared",
  BREAKFIX_DATA_DIR: dir,
  BREAKFIX_ORIGIN: "http://127.0.0.1:3000",
  BREAKFIX_SECRET: "o".repeat(40),
  BREAKFIX_DRIVER: "sim",
});
delete process.env.DATABASE_URL;

const { getConfig } = await import("@/lib/config");
const { db } = await import("@/lib/db");
const { applyMigrations } = await import("@/lib/server/migrate");
const { createAuthSession } = await import("@/lib/auth/auth-sessions");
const { FakeCluster } = await import("@/lib/labs/fake-lab-deps");
const { registerLabCluster } = await import("@/lib/labs/lab-clusters");
const { recordingsDir } = await import("@/lib/terminal/asciicast-recorder");
const lab = await import("./labs/[id]/route");
const labCheck = await import("./labs/[id]/check/route");
const labHints = await import("./labs/[id]/hints/route");
const labReset = await import("./labs/[id]/reset/route");
const labFinish = await import("./labs/[id]/finish/route");
const labGiveUp = await import("./labs/[id]/give-up/route");
const labProgress = await import("./labs/[id]/progress/route");
const labStream = await import("./labs/[id]/cluster-stream/route");
const exam = await import("./exams/[id]/route");
const examFlag = await import("./exams/[id]/flag/route");
const examFocus = await import("./exams/[id]/focus/route");
const examNotes = await import("./exams/[id]/notes/route");
const examSubmit = await import("./exams/[id]/submit/route");
const token = await import("./terminal/token/route");
const recordings = await import("./terminal/recordings/route");
const recording = await import("./terminal/recordings/[id]/route");
const klass = await import("./classes/[id]/route");
const classAssignments = await import("./classes/[id]/assignments/route");
const classBoard = await import("./classes/[id]/board/route");
const classResults = await import("./classes/[id]/results/route");
const instructorRecording = await import("./instructor/recordings/[id]/route");
const instructorChecks = await import("./instructor/labs/[id]/checks/route");

const config = getConfig();
const call = (h: RouteHandler, c: RouteCall, cookie: string) => callRoute(h, { ...c, headers: { cookie: `breakfix_session=${cookie}`, ...c.headers } }, config);

const ids = { labA: "", examLabA: "", attemptA: "", recordingA: "", node: "", classOfIvy: "" };
let anaToken = "";
let benToken = "";
let joToken = "";
let ivyToken = "";

/** Every row a learner's request could change: B's requests with A's ids must leave all of it as it was. */
async function snapshot(): Promise<string> {
  const p = db();
  return JSON.stringify([
    await p.labSession.findMany({ orderBy: { id: "asc" } }),
    await p.checkRun.findMany({ orderBy: { id: "asc" } }),
    await p.hintUse.findMany({ orderBy: { id: "asc" } }),
    await p.examAttempt.findMany({ orderBy: { id: "asc" } }),
    await p.examTask.findMany({ orderBy: { id: "asc" } }),
    await p.terminalRecording.findMany({ orderBy: { id: "asc" } }),
    await p.user.findMany({ orderBy: { id: "asc" } }),
    await p.class.findMany({ orderBy: { id: "asc" } }),
    await p.classMember.findMany({ orderBy: { id: "asc" } }),
    await p.assignment.findMany({ orderBy: { id: "asc" } }),
  ]);
}

beforeAll(async () => {
  applyMigrations(config.databaseUrl);
  const p = db();
  const ana = await p.user.create({ data: { email: "ana@example.test", name: "Ana" } });
  const ben = await p.user.create({ data: { email: "ben@example.test", name: "Ben" } });
  anaToken = (await createAuthSession(p, ana.id)).token;
  benToken = (await createAuthSession(p, ben.id)).token;
  const labA = await p.labSession.create({
    data: { userId: ana.id, scenarioId: "hello-pod", variantId: "default", driver: "sim", state: "ready", clusterName: "own-a", readyAt: new Date() },
  });
  registerLabCluster(labA.id, new FakeCluster("own-a", 1));
  const ex = await p.exam.create({ data: { slug: "warm-up", title: "Warm-up exam", minutes: 30, tasks: "[]" } });
  const attempt = await p.examAttempt.create({
    data: { examId: ex.id, userId: ana.id, state: "running", durationSeconds: 1800, timerStartedAt: new Date(), deadline: new Date(Date.now() + 1800_000) },
  });
  const examLab = await p.labSession.create({
    data: { userId: ana.id, scenarioId: "hello-pod", variantId: "default", driver: "sim", state: "ready", clusterName: "own-e", examAttemptId: attempt.id },
  });
  registerLabCluster(examLab.id, new FakeCluster("own-e", 1));
  await p.examTask.create({ data: { attemptId: attempt.id, position: 0, scenarioId: "hello-pod", variantId: "default", weight: 100, labSessionId: examLab.id } });
  fs.mkdirSync(recordingsDir(dir), { recursive: true });
  fs.writeFileSync(path.join(recordingsDir(dir), "a.cast"), '{"version":2,"width":80,"height":24}\n');
  const rec = await p.terminalRecording.create({ data: { labSessionId: labA.id, node: "own-a-control-plane", path: "a.cast" } });
  // Ivy teaches a class Ana is in; Jo is another instructor, teaching none of it.
  const ivy = await p.user.create({ data: { email: "ivy@example.test", name: "Ivy", role: "instructor" } });
  const jo = await p.user.create({ data: { email: "jo@example.test", name: "Jo", role: "instructor" } });
  joToken = (await createAuthSession(p, jo.id)).token;
  ivyToken = (await createAuthSession(p, ivy.id)).token;
  const cls = await p.class.create({ data: { name: "CKA prep", ownerId: ivy.id, joinCode: "joincodejoincode1234" } });
  await p.classMember.create({ data: { classId: cls.id, userId: ana.id } });
  Object.assign(ids, { labA: labA.id, examLabA: examLab.id, attemptA: attempt.id, recordingA: rec.id, node: "own-a-control-plane", classOfIvy: cls.id });
});
afterAll(async () => {
  await db().$disconnect();
  process.env = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every route that takes a lab, exam, recording or terminal id, called with A's ids. */
function routesWithAnasIds(): [string, RouteHandler, RouteCall][] {
  const labParams = { id: ids.labA };
  const examParams = { id: ids.attemptA };
  return [
    ["GET /api/labs/:id", lab.GET as RouteHandler, { path: `/api/labs/${ids.labA}`, params: labParams }],
    ["POST /api/labs/:id/check", labCheck.POST as RouteHandler, { path: `/api/labs/${ids.labA}/check`, method: "POST", params: labParams }],
    ["POST /api/labs/:id/hints", labHints.POST as RouteHandler, { path: `/api/labs/${ids.labA}/hints`, body: JSON.stringify({ index: 0 }), params: labParams }],
    ["POST /api/labs/:id/reset", labReset.POST as RouteHandler, { path: `/api/labs/${ids.labA}/reset`, method: "POST", params: labParams }],
    ["POST /api/labs/:id/finish", labFinish.POST as RouteHandler, { path: `/api/labs/${ids.labA}/finish`, method: "POST", params: labParams }],
    ["POST /api/labs/:id/give-up", labGiveUp.POST as RouteHandler, { path: `/api/labs/${ids.labA}/give-up`, method: "POST", params: labParams }],
    ["GET /api/labs/:id/progress", labProgress.GET as RouteHandler, { path: `/api/labs/${ids.labA}/progress`, params: labParams }],
    ["GET /api/labs/:id/cluster-stream", labStream.GET as RouteHandler, { path: `/api/labs/${ids.labA}/cluster-stream`, params: labParams }],
    ["GET /api/labs/:id (exam task lab)", lab.GET as RouteHandler, { path: `/api/labs/${ids.examLabA}`, params: { id: ids.examLabA } }],
    ["POST /api/labs/:id/check (exam task lab)", labCheck.POST as RouteHandler, { path: `/api/labs/${ids.examLabA}/check`, method: "POST", params: { id: ids.examLabA } }],
    ["GET /api/exams/:id", exam.GET as RouteHandler, { path: `/api/exams/${ids.attemptA}`, params: examParams }],
    ["POST /api/exams/:id/flag", examFlag.POST as RouteHandler, { path: `/api/exams/${ids.attemptA}/flag`, body: JSON.stringify({ position: 0, flagged: true }), params: examParams }],
    ["POST /api/exams/:id/focus", examFocus.POST as RouteHandler, { path: `/api/exams/${ids.attemptA}/focus`, body: JSON.stringify({ position: 0 }), params: examParams }],
    ["POST /api/exams/:id/notes", examNotes.POST as RouteHandler, { path: `/api/exams/${ids.attemptA}/notes`, body: JSON.stringify({ text: "B was here" }), params: examParams }],
    ["POST /api/exams/:id/submit", examSubmit.POST as RouteHandler, { path: `/api/exams/${ids.attemptA}/submit`, method: "POST", params: examParams }],
    ["POST /api/terminal/token", token.POST as RouteHandler, { path: "/api/terminal/token", body: JSON.stringify({ labSessionId: ids.labA, node: ids.node }) }],
    ["GET /api/terminal/recordings", recordings.GET as RouteHandler, { path: `/api/terminal/recordings?labSessionId=${ids.labA}` }],
    ["GET /api/terminal/recordings/:id", recording.GET as RouteHandler, { path: `/api/terminal/recordings/${ids.recordingA}`, params: { id: ids.recordingA } }],
  ];
}

describe("classes and instructor routes in shared mode", () => {
  it("a learner gets 403 or 404 on an instructor's class and on the instructor routes; another instructor gets 404 on the class; nothing changes", async () => {
    const c = { id: ids.classOfIvy };
    const classRoutes: [string, RouteHandler, RouteCall][] = [
      ["POST /api/classes/:id", klass.POST as RouteHandler, { path: `/api/classes/${c.id}`, body: JSON.stringify({ op: "archive" }), params: c }],
      ["POST /api/classes/:id/assignments", classAssignments.POST as RouteHandler, { path: `/api/classes/${c.id}/assignments`, body: JSON.stringify({ kind: "pack", target: "hello-pod" }), params: c }],
      ["GET /api/classes/:id/board", classBoard.GET as RouteHandler, { path: `/api/classes/${c.id}/board`, params: c }],
      ["GET /api/classes/:id/results", classResults.GET as RouteHandler, { path: `/api/classes/${c.id}/results`, params: c }],
    ];
    const instructorRoutes: [string, RouteHandler, RouteCall][] = [
      ["GET /api/instructor/recordings/:id", instructorRecording.GET as RouteHandler, { path: `/api/instructor/recordings/${ids.recordingA}`, params: { id: ids.recordingA } }],
      ["POST /api/instructor/labs/:id/checks", instructorChecks.POST as RouteHandler, { path: `/api/instructor/labs/${ids.labA}/checks`, method: "POST", params: { id: ids.labA } }],
    ];
    const before = await snapshot();
    for (const [name, handler, call_] of [...classRoutes, ...instructorRoutes]) {
      const r = await call(handler, call_, benToken);
      expect([name, [403, 404].includes(r.status)]).toEqual([name, true]);
    }
    for (const [name, handler, call_] of classRoutes) {
      const r = await call(handler, call_, joToken);
      expect([name, r.status]).toEqual([name, 404]);
    }
    // Ana is a member, not the teacher: the class's management is not hers either.
    for (const [name, handler, call_] of classRoutes) {
      const r = await call(handler, call_, anaToken);
      expect([name, [403, 404].includes(r.status)]).toEqual([name, true]);
    }
    expect(await snapshot()).toBe(before);
    // While Ivy, who teaches it, sees its board.
    const board = await call(classBoard.GET as RouteHandler, { path: `/api/classes/${c.id}/board`, params: c }, ivyToken);
    expect(board.status).toBe(200);
  });
});

describe("ownership in shared mode: B with A's ids", () => {
  it("gets 404 on every route, exactly as for an id that does not exist, and nothing changes", async () => {
    const before = await snapshot();
    for (const [name, handler, c] of routesWithAnasIds()) {
      const r = await call(handler, c, benToken);
      const body = (await r.json()) as { error: { code: string; message: string } };
      expect([name, r.status, body.error.code]).toEqual([name, 404, "NOT_FOUND"]);
      // A missing id of the same shape answers the same words: B cannot tell "someone's" from "none".
      const missing = "zzzzzzzzzzzzzzzzzzzzzzzz";
      const swap = (s: string) => s.replaceAll(ids.labA, missing).replaceAll(ids.examLabA, missing).replaceAll(ids.attemptA, missing).replaceAll(ids.recordingA, missing);
      const params = c.params ? Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, swap(v)])) : undefined;
      const r2 = await call(handler, { ...c, path: swap(c.path), body: c.body === undefined ? undefined : swap(c.body), params }, benToken);
      expect([name, r2.status, ((await r2.json()) as typeof body).error.message]).toEqual([name, 404, body.error.message]);
    }
    expect(await snapshot()).toBe(before);
  });

  it("with ids that are not ids (path tricks, huge, empty) gets a 4xx on every route, and nothing changes", async () => {
    const before = await snapshot();
    const all = [ids.labA, ids.examLabA, ids.attemptA, ids.recordingA];
    for (const bad of ["..%2F..%2Fetc%2Fpasswd", "x".repeat(500), "%00", "ABC DEF"]) {
      for (const [name, handler, c] of routesWithAnasIds()) {
        const swap = (v: string) => all.reduce((acc, id) => acc.replaceAll(id, bad), v);
        const params = c.params ? Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, decodeURIComponent(swap(v))])) : undefined;
        const body = c.body === undefined ? undefined : all.reduce((acc, id) => acc.replaceAll(id, decodeURIComponent(bad)), c.body);
        const r = await call(handler, { ...c, path: swap(c.path), body, params }, benToken);
        expect([name, bad, r.status >= 400 && r.status < 500]).toEqual([name, bad, true]);
        expect(((await r.json()) as { error: { message: string } }).error.message).toBeTruthy();
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it("without a session gets 401 on every route, and nothing changes", async () => {
    const before = await snapshot();
    for (const [name, handler, c] of routesWithAnasIds()) {
      const r = await call(handler, { ...c, headers: { cookie: "breakfix_session=forged" } }, "");
      expect([name, r.status]).toEqual([name, 401]);
    }
    expect(await snapshot()).toBe(before);
  });

  it("while A, the owner, reaches the same lab, exam, recordings and terminal", async () => {
    const r = await call(lab.GET as RouteHandler, { path: `/api/labs/${ids.labA}`, params: { id: ids.labA } }, anaToken);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { id: string }).id).toBe(ids.labA);
    const e = await call(exam.GET as RouteHandler, { path: `/api/exams/${ids.attemptA}`, params: { id: ids.attemptA } }, anaToken);
    expect(e.status).toBe(200);
    const list = await call(recordings.GET as RouteHandler, { path: `/api/terminal/recordings?labSessionId=${ids.labA}` }, anaToken);
    expect(((await list.json()) as { recordings: { id: string }[] }).recordings.map((x) => x.id)).toEqual([ids.recordingA]);
    const cast = await call(recording.GET as RouteHandler, { path: `/api/terminal/recordings/${ids.recordingA}`, params: { id: ids.recordingA } }, anaToken);
    expect(await cast.text()).toContain('"version":2');
    const t = await call(token.POST as RouteHandler, { path: "/api/terminal/token", body: JSON.stringify({ labSessionId: ids.labA, node: ids.node }) }, anaToken);
    expect(t.status).toBe(200);
    expect(((await t.json()) as { token: string }).token).toMatch(/^[\w-]+\.[\w-]+$/);
  });
});
