import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getExamResults } from "@/lib/exams/exam-results";
import { getExamView } from "@/lib/exams/exam-view";
import { createFakeExamDeps, type FakeExamDeps } from "@/lib/exams/fake-exam-deps";
import { flagExamTask } from "@/lib/exams/flag-exam-task";
import { startExamAttempt } from "@/lib/exams/start-exam-attempt";
import { submitExamAttempt } from "@/lib/exams/submit-exam-attempt";
import { checkLab } from "@/lib/labs/check-lab";
import { finishLab } from "@/lib/labs/end-lab";
import { getLabHistory } from "@/lib/labs/lab-history";
import { getLabResults } from "@/lib/labs/lab-results";
import { revealHint } from "@/lib/labs/reveal-hint";
import { startLabSession } from "@/lib/labs/start-lab-session";
import { testBackends, type TestDatabase } from "@/lib/testing/test-databases";

// The app's own lab and exam code (only the cluster and the pack are fakes) against each database,
// so what PostgreSQL does differently from SQLite (types, transactions, constraint errors, time
// precision) shows up where the app uses it.
for (const backend of testBackends("lib/server/database-round-trip.test.ts")) {
  describe.skipIf(backend.skipReason !== null)(`a learner's labs and exam on ${backend.title}`, () => {
    let database: TestDatabase;
    let deps: FakeExamDeps;
    let userId: string;
    beforeAll(async () => {
      database = await backend.create();
      await database.migrate();
      deps = createFakeExamDeps({ db: database.client() });
      userId = (await deps.labs.db.user.create({ data: { name: "learner", email: `learner-${backend.provider}@example.test` } })).id;
    });
    afterAll(async () => {
      if (deps) {
        await vi.waitFor(async () => expect(await deps.labs.db.labSession.count({ where: { state: "provisioning" } })).toBe(0), { timeout: 15_000 });
        await deps.cleanup();
      }
      await database?.drop();
    });

    const clusterOfLab = async (labSessionId: string) => {
      const { clusterName } = await deps.labs.db.labSession.findUniqueOrThrow({ where: { id: labSessionId } });
      const cluster = deps.labs.driverImpl.clusters.get(clusterName ?? "");
      if (!cluster) throw new Error(`lab ${labSessionId} has no fake cluster ${clusterName}`);
      return cluster;
    };

    it("a practice lab: start, hint, a failing then a passing check, finish, results and history", async () => {
      const { id } = await startLabSession(deps.labs, { userId, scenario: "fake-a", variant: "both" });
      await vi.waitFor(async () => expect((await deps.labs.db.labSession.findUniqueOrThrow({ where: { id } })).state).toBe("ready"), { timeout: 15_000 });
      expect((await startLabSession(deps.labs, { userId, scenario: "fake-a" })).resumed).toBe(true);

      expect(await revealHint(deps.labs, id, userId, 1)).toMatchObject({ index: 1, cost: 3 });
      await revealHint(deps.labs, id, userId, 1); // charged once: the unique (lab, hint) index holds
      const first = await checkLab(deps.labs, id, userId);
      expect([first.allPassed, first.score, first.hintPenalty]).toEqual([false, 0, 3]);

      (await clusterOfLab(id)).world = { imageOk: true, replicasOk: true };
      const finished = await finishLab(deps.labs, id, userId);
      expect(finished.state).toBe("passed");
      expect(finished.outcome?.score).toBe(7);

      const results = await getLabResults(deps.labs, id, userId);
      expect([results.state, results.score, results.maxScore, results.hintPenalty]).toEqual(["passed", 7, 10, 3]);
      expect(results.checks).toHaveLength(2);
      expect(results.finalCheck?.allPassed).toBe(true);
      expect(results.hintsUsed.map((h) => h.index)).toEqual([1]);
      const session = await deps.labs.db.labSession.findUniqueOrThrow({ where: { id }, include: { checkRuns: { orderBy: { createdAt: "asc" } }, hintUses: true } });
      expect([session.state, session.score, session.maxScore]).toEqual(["passed", 7, 10]);
      expect(session.checkRuns.map((r) => r.allPassed)).toEqual([false, true]);
      expect(session.hintUses.map((h) => h.cost)).toEqual([3]);
      expect(session.endedAt!.getTime()).toBeGreaterThanOrEqual(session.startedAt.getTime());

      const history = await getLabHistory(deps.labs, userId);
      expect(JSON.stringify(history)).toContain("fake-a");
    });

    it("an exam attempt: three tasks provisioned, a flag, submit, graded results by task", async () => {
      const { id } = await startExamAttempt(deps, { userId, exam: "quiz" });
      await vi.waitFor(
        async () => {
          const v = await getExamView(deps, id, userId);
          expect(v.state).toBe("running");
          expect(v.tasks.every((t) => t.status === "ready")).toBe(true);
        },
        { timeout: 15_000 },
      );
      const view = await getExamView(deps, id, userId);
      expect(view.tasks.map((t) => t.weight)).toEqual([50, 25, 25]);
      await flagExamTask(deps, id, userId, 2, true);
      expect((await getExamView(deps, id, userId)).tasks.map((t) => t.flagged)).toEqual([false, false, true]);

      (await clusterOfLab(view.tasks[0]!.labSessionId!)).world = { imageOk: true, replicasOk: true };
      for (const t of view.tasks.slice(1)) (await clusterOfLab(t.labSessionId!)).world = { imageOk: false, replicasOk: false };
      await submitExamAttempt(deps, id, userId);

      const r = await getExamResults(deps, id, userId);
      expect(r.state).toBe("submitted");
      expect(r.score.weighted).toEqual({ score: 50, max: 100, percent: 50 });
      expect(r.score.passed).toBe(false);
      const attempt = await deps.labs.db.examAttempt.findUniqueOrThrow({ where: { id }, include: { tasks: { orderBy: { position: "asc" } }, labSessions: true } });
      expect(attempt.tasks.map((t) => t.position)).toEqual([0, 1, 2]);
      expect(attempt.labSessions).toHaveLength(3);
      expect([attempt.score, attempt.maxScore, attempt.passed]).toEqual([50, 100, false]);
      expect(attempt.deadline!.getTime() - attempt.timerStartedAt!.getTime()).toBe(20 * 60_000);
    });
  });
}
