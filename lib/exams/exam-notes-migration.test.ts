import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testBackends, type TestDatabase } from "@/lib/testing/test-databases";

const NOTES = "20261204000000_exam_notes_and_focus";

for (const backend of testBackends("lib/exams/exam-notes-migration.test.ts")) {
  describe.skipIf(backend.skipReason !== null)(`the exam notes and focus migration on ${backend.title}`, () => {
    let db: TestDatabase;
    beforeEach(async () => {
      db = await backend.create();
    });
    afterEach(() => db.drop());

    it("gives existing attempts an empty notepad and no focus, and existing tasks no time yet", async () => {
      await db.migrate({ before: NOTES });
      await db.exec(`INSERT INTO "User" ("id", "name") VALUES ('u1', 'learner')`);
      await db.exec(`INSERT INTO "Exam" ("id", "slug", "title", "minutes", "tasks") VALUES ('e1', 'quiz', 'Quiz', 20, '[]')`);
      await db.exec(`INSERT INTO "ExamAttempt" ("id", "examId", "userId", "state") VALUES ('a1', 'e1', 'u1', 'submitted')`);
      await db.exec(`INSERT INTO "ExamTask" ("id", "attemptId", "position", "scenarioId", "variantId", "weight") VALUES ('t1', 'a1', 0, 's', 'v', 100)`);

      expect((await db.migrate())[0]).toBe(NOTES);
      expect(await db.query(`SELECT "notes", "focusAt", "focusPosition" FROM "ExamAttempt"`)).toEqual([{ notes: "", focusAt: null, focusPosition: null }]);
      expect(await db.query(`SELECT "activeMs" FROM "ExamTask"`)).toEqual([{ activeMs: 0 }]);
    });
  });
}
