import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/server/migrate";
import { MIGRATIONS_DIR, migrationsBefore } from "@/lib/testing/migrations-before";

const COLUMNS = "20261202000000_lab_state_columns";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-migrate-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));


describe("the lab state columns migration", () => {
  it("moves each kind of old stateDetail into provisionStep, failureMessage and failureHint", () => {
    const file = path.join(dir, "old.db");
    applyMigrations(`file:${file}`, migrationsBefore(COLUMNS, dir));
    const sqlite = new Database(file);
    try {
      sqlite.prepare(`INSERT INTO "User" (id, name) VALUES ('u1', 'learner')`).run();
      const insert = sqlite.prepare(
        `INSERT INTO "LabSession" (id, userId, scenarioId, variantId, driver, state, stateDetail) VALUES (?, 'u1', 's', 'v', 'sim', ?, ?)`,
      );
      insert.run("step", "provisioning", "step: inject");
      insert.run("two-lines", "failed", "The cluster could not be created: no docker\nPress Reset to try again.");
      insert.run("one-line", "expired", "Its cluster was gone after a server restart.");
      insert.run("none", "ready", null);
    } finally {
      sqlite.close();
    }

    expect(applyMigrations(`file:${file}`, MIGRATIONS_DIR)).toContain(COLUMNS);

    const after = new Database(file, { readonly: true });
    try {
      const rows = after.prepare(`SELECT * FROM "LabSession" ORDER BY id`).all() as Record<string, unknown>[];
      const pick = (r: Record<string, unknown>) => ({ id: r.id, provisionStep: r.provisionStep, failureMessage: r.failureMessage, failureHint: r.failureHint });
      expect(rows.map(pick)).toEqual([
        { id: "none", provisionStep: null, failureMessage: null, failureHint: null },
        { id: "one-line", provisionStep: null, failureMessage: "Its cluster was gone after a server restart.", failureHint: null },
        { id: "step", provisionStep: "inject", failureMessage: null, failureHint: null },
        { id: "two-lines", provisionStep: null, failureMessage: "The cluster could not be created: no docker", failureHint: "Press Reset to try again." },
      ]);
      expect(rows[0]).not.toHaveProperty("stateDetail");
    } finally {
      after.close();
    }
  });
});
