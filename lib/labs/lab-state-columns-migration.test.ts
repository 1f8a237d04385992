import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testBackends, type TestDatabase } from "@/lib/testing/test-databases";

const COLUMNS = "20261202000000_lab_state_columns";

for (const backend of testBackends("lib/labs/lab-state-columns-migration.test.ts")) {
  describe.skipIf(backend.skipReason !== null)(`the lab state columns migration on ${backend.title}`, () => {
    let db: TestDatabase;
    beforeEach(async () => {
      db = await backend.create();
    });
    afterEach(() => db.drop());

    it("moves each kind of old stateDetail into provisionStep, failureMessage and failureHint", async () => {
      await db.migrate({ before: COLUMNS });
      await db.exec(`INSERT INTO "User" ("id", "name") VALUES ('u1', 'learner')`);
      const insert = `INSERT INTO "LabSession" ("id", "userId", "scenarioId", "variantId", "driver", "state", "stateDetail") VALUES (?, 'u1', 's', 'v', 'sim', ?, ?)`;
      await db.exec(insert, ["step", "provisioning", "step: inject"]);
      await db.exec(insert, ["two-lines", "failed", "The cluster could not be created: no docker\nPress Reset to try again."]);
      await db.exec(insert, ["one-line", "expired", "Its cluster was gone after a server restart."]);
      await db.exec(insert, ["none", "ready", null]);

      expect(await db.migrate()).toContain(COLUMNS);

      const rows = await db.query(`SELECT * FROM "LabSession" ORDER BY "id"`);
      const pick = (r: Record<string, unknown>) => ({ id: r.id, provisionStep: r.provisionStep, failureMessage: r.failureMessage, failureHint: r.failureHint });
      expect(rows.map(pick)).toEqual([
        { id: "none", provisionStep: null, failureMessage: null, failureHint: null },
        { id: "one-line", provisionStep: null, failureMessage: "Its cluster was gone after a server restart.", failureHint: null },
        { id: "step", provisionStep: "inject", failureMessage: null, failureHint: null },
        { id: "two-lines", provisionStep: null, failureMessage: "The cluster could not be created: no docker", failureHint: "Press Reset to try again." },
      ]);
      expect(rows[0]).not.toHaveProperty("stateDetail");
    });
  });
}
