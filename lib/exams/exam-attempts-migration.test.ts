import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/server/migrate";
import { migrationsBefore } from "@/lib/testing/migrations-before";

const EXAMS = "20261203000000_exam_attempts";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-migrate-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));


describe("the exam attempts migration", () => {
  it("keeps existing labs, and links tasks to attempts and labs with their foreign keys", () => {
    const file = path.join(dir, "old.db");
    applyMigrations(`file:${file}`, migrationsBefore(EXAMS, dir));
    let sqlite = new Database(file);
    sqlite.prepare(`INSERT INTO "User" (id, name) VALUES ('u1', 'learner')`).run();
    sqlite.prepare(`INSERT INTO "LabSession" (id, userId, scenarioId, variantId, driver, state) VALUES ('l1', 'u1', 's', 'v', 'sim', 'ready')`).run();
    sqlite.close();

    // Later migrations follow it; this one comes first.
    expect(applyMigrations(`file:${file}`)[0]).toBe(EXAMS);
    sqlite = new Database(file);
    try {
      expect(sqlite.prepare(`SELECT id FROM "LabSession"`).all()).toEqual([{ id: "l1" }]);
      sqlite.prepare(`INSERT INTO "Exam" (id, slug, title, minutes, tasks) VALUES ('e1', 'quiz', 'Quiz', 20, '[]')`).run();
      // No deadline until the timer starts.
      sqlite.prepare(`INSERT INTO "ExamAttempt" (id, examId, userId) VALUES ('a1', 'e1', 'u1')`).run();
      sqlite.prepare(`UPDATE "LabSession" SET examAttemptId = 'a1' WHERE id = 'l1'`).run();
      sqlite.prepare(`INSERT INTO "ExamTask" (id, attemptId, position, scenarioId, variantId, weight, labSessionId) VALUES ('t1', 'a1', 0, 's', 'v', 100, 'l1')`).run();
      expect(sqlite.prepare(`SELECT state, mode, deadline FROM "ExamAttempt"`).get()).toEqual({ state: "provisioning", mode: "exam", deadline: null });
      expect(() => sqlite.prepare(`INSERT INTO "ExamTask" (id, attemptId, position, scenarioId, variantId, weight) VALUES ('t2', 'nope', 0, 's', 'v', 1)`).run()).toThrow(/FOREIGN KEY/);
      sqlite.prepare(`DELETE FROM "ExamAttempt" WHERE id = 'a1'`).run();
      expect(sqlite.prepare(`SELECT count(*) AS n FROM "ExamTask"`).get()).toEqual({ n: 0 });
      expect(sqlite.prepare(`SELECT examAttemptId FROM "LabSession"`).get()).toEqual({ examAttemptId: null });
    } finally {
      sqlite.close();
    }
  });
});
