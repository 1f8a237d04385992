import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/server/migrate";
import { migrationsBefore } from "@/lib/testing/migrations-before";

const NOTES = "20261204000000_exam_notes_and_focus";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-migrate-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the exam notes and focus migration", () => {
  it("gives existing attempts an empty notepad and no focus, and existing tasks no time yet", () => {
    const file = path.join(dir, "old.db");
    applyMigrations(`file:${file}`, migrationsBefore(NOTES, dir));
    let sqlite = new Database(file);
    sqlite.prepare(`INSERT INTO "User" (id, name) VALUES ('u1', 'learner')`).run();
    sqlite.prepare(`INSERT INTO "Exam" (id, slug, title, minutes, tasks) VALUES ('e1', 'quiz', 'Quiz', 20, '[]')`).run();
    sqlite.prepare(`INSERT INTO "ExamAttempt" (id, examId, userId, state) VALUES ('a1', 'e1', 'u1', 'submitted')`).run();
    sqlite.prepare(`INSERT INTO "ExamTask" (id, attemptId, position, scenarioId, variantId, weight) VALUES ('t1', 'a1', 0, 's', 'v', 100)`).run();
    sqlite.close();

    expect(applyMigrations(`file:${file}`)[0]).toBe(NOTES);
    sqlite = new Database(file);
    try {
      expect(sqlite.prepare(`SELECT notes, focusAt, focusPosition FROM "ExamAttempt"`).get()).toEqual({ notes: "", focusAt: null, focusPosition: null });
      expect(sqlite.prepare(`SELECT activeMs FROM "ExamTask"`).get()).toEqual({ activeMs: 0 });
    } finally {
      sqlite.close();
    }
  });
});
