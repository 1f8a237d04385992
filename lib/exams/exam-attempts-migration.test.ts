import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testBackends, type TestDatabase } from "@/lib/testing/test-databases";

const EXAMS = "20261203000000_exam_attempts";

for (const backend of testBackends("lib/exams/exam-attempts-migration.test.ts")) {
  describe.skipIf(backend.skipReason !== null)(`the exam attempts migration on ${backend.title}`, () => {
    let db: TestDatabase;
    beforeEach(async () => {
      db = await backend.create();
    });
    afterEach(() => db.drop());

    it("keeps existing labs, and links tasks to attempts and labs with their foreign keys", async () => {
      await db.migrate({ before: EXAMS });
      await db.exec(`INSERT INTO "User" ("id", "name") VALUES ('u1', 'learner')`);
      await db.exec(`INSERT INTO "LabSession" ("id", "userId", "scenarioId", "variantId", "driver", "state") VALUES ('l1', 'u1', 's', 'v', 'sim', 'ready')`);

      // Later migrations follow it; this one comes first.
      expect((await db.migrate())[0]).toBe(EXAMS);
      expect(await db.query(`SELECT "id" FROM "LabSession"`)).toEqual([{ id: "l1" }]);
      await db.exec(`INSERT INTO "Exam" ("id", "slug", "title", "minutes", "tasks") VALUES ('e1', 'quiz', 'Quiz', 20, '[]')`);
      // No deadline until the timer starts.
      await db.exec(`INSERT INTO "ExamAttempt" ("id", "examId", "userId") VALUES ('a1', 'e1', 'u1')`);
      await db.exec(`UPDATE "LabSession" SET "examAttemptId" = 'a1' WHERE "id" = 'l1'`);
      await db.exec(`INSERT INTO "ExamTask" ("id", "attemptId", "position", "scenarioId", "variantId", "weight", "labSessionId") VALUES ('t1', 'a1', 0, 's', 'v', 100, 'l1')`);
      expect(await db.query(`SELECT "state", "mode", "deadline" FROM "ExamAttempt"`)).toEqual([{ state: "provisioning", mode: "exam", deadline: null }]);
      await expect(db.exec(`INSERT INTO "ExamTask" ("id", "attemptId", "position", "scenarioId", "variantId", "weight") VALUES ('t2', 'nope', 0, 's', 'v', 1)`)).rejects.toThrow(
        /foreign key/i,
      );
      await db.exec(`DELETE FROM "ExamAttempt" WHERE "id" = 'a1'`);
      expect(await db.query(`SELECT CAST(count(*) AS INTEGER) AS "n" FROM "ExamTask"`)).toEqual([{ n: 0 }]);
      expect(await db.query(`SELECT "examAttemptId" FROM "LabSession"`)).toEqual([{ examAttemptId: null }]);
    });
  });
}
