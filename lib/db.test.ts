import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends, type TestDatabase } from "@/lib/testing/test-databases";

for (const backend of testBackends("lib/db.test.ts")) {
  describe.skipIf(backend.skipReason !== null)(`migrations and the Prisma client on ${backend.title}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.create();
    });
    afterAll(() => database?.drop());

    it("applies the migrations once, then reports nothing to do", async () => {
      expect(await database.migrate()).toEqual(["20261121000000_init", "20261202000000_lab_state_columns", "20261203000000_exam_attempts", "20261204000000_exam_notes_and_focus", "20261205000000_accounts", "20261206000000_self_test_records", "20261208000000_classes"]);
      expect(await database.migrate()).toEqual([]);
      const recorded = await database.query<{ migration_name: string; applied_steps_count: number; finished: unknown }>(
        `SELECT "migration_name", "applied_steps_count", "finished_at" AS "finished" FROM "_prisma_migrations" ORDER BY "migration_name"`,
      );
      expect(recorded).toHaveLength(7);
      expect(recorded.every((r) => r.applied_steps_count === 1 && r.finished !== null)).toBe(true);
    });

    it("the migrated schema serves every model through the real client", async () => {
      const prisma = database.client();
      const user = await prisma.user.create({ data: { name: "learner", email: "l@example.test" } });
      await expect(prisma.user.create({ data: { name: "twin", email: "l@example.test" } })).rejects.toThrow();
      const exam = await prisma.exam.create({ data: { slug: "cka-1", title: "CKA practice", minutes: 120, tasks: "[]" } });
      const deadline = new Date(Date.UTC(2026, 11, 3, 9, 30, 15, 123));
      const attempt = await prisma.examAttempt.create({ data: { examId: exam.id, userId: user.id, deadline } });
      const lab = await prisma.labSession.create({
        data: { userId: user.id, scenarioId: "hello-pod", variantId: "default", driver: "sim", examAttemptId: attempt.id },
      });
      await prisma.examTask.create({ data: { attemptId: attempt.id, position: 0, scenarioId: "hello-pod", variantId: "default", weight: 100, labSessionId: lab.id } });
      await prisma.checkRun.create({
        data: { labSessionId: lab.id, durationMs: 12, score: 10, maxScore: 10, allPassed: true, results: "[]" },
      });
      await prisma.hintUse.create({ data: { labSessionId: lab.id, hintIndex: 0, cost: 2 } });
      await expect(prisma.hintUse.create({ data: { labSessionId: lab.id, hintIndex: 0, cost: 2 } })).rejects.toThrow();
      await prisma.terminalRecording.create({ data: { labSessionId: lab.id, node: "n1", path: "/x.cast" } });
      expect(user.role).toBe("learner");
      await prisma.user.update({ where: { id: user.id }, data: { oidcIssuer: "https://idp.example.test", oidcSubject: "s1" } });
      await expect(
        prisma.user.create({ data: { name: "twin", oidcIssuer: "https://idp.example.test", oidcSubject: "s1" } }),
      ).rejects.toThrow(); // one account per (issuer, subject)
      await prisma.authSession.create({ data: { userId: user.id, tokenHash: "a".repeat(64), expiresAt: new Date(Date.now() + 60_000) } });
      await expect(
        prisma.authSession.create({ data: { userId: user.id, tokenHash: "a".repeat(64), expiresAt: new Date() } }),
      ).rejects.toThrow();
      expect(lab.resetCount).toBe(0);
      const record = await prisma.selfTestRecord.create({
        data: { scenarioId: "hello-pod", driver: "sim", variantId: "default", ok: true, durationMs: 900, steps: "[]" },
      });
      expect(record.error).toBeNull();
      expect(record.createdAt).toBeInstanceOf(Date);
      const loaded = await prisma.labSession.findUniqueOrThrow({
        where: { id: lab.id },
        include: { checkRuns: true, hintUses: true, recordings: true, examAttempt: true, examTask: true },
      });
      expect(loaded.state).toBe("provisioning");
      expect(loaded.checkRuns).toHaveLength(1);
      expect(loaded.checkRuns[0]?.allPassed).toBe(true);
      expect(loaded.hintUses[0]?.cost).toBe(2);
      expect(loaded.examAttempt?.state).toBe("provisioning");
      // Millisecond precision survives the round trip (TIMESTAMP(3) on PostgreSQL).
      expect(loaded.examAttempt?.deadline?.toISOString()).toBe("2026-12-03T09:30:15.123Z");
      expect(loaded.examTask?.weight).toBe(100);
      // Interactive transactions roll back on both.
      await expect(
        prisma.$transaction(async (tx) => {
          await tx.labSession.update({ where: { id: lab.id }, data: { state: "ready" } });
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      expect((await prisma.labSession.findUniqueOrThrow({ where: { id: lab.id } })).state).toBe("provisioning");
      await prisma.exam.delete({ where: { id: exam.id } });
      expect((await prisma.labSession.findUniqueOrThrow({ where: { id: lab.id } })).examAttemptId).toBeNull(); // SET NULL
      await prisma.user.delete({ where: { id: user.id } });
      expect(await prisma.labSession.count()).toBe(0); // cascades
      expect(await prisma.checkRun.count()).toBe(0);
      expect(await prisma.authSession.count()).toBe(0);
    });
  });
}
