import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ScenarioContext } from "@/lib/scenarios/context";
import { testBackends, type TestDatabase } from "@/lib/testing/test-databases";
import { gradeLabSession } from "./grade-lab-session";

// The checks below never touch the context.
const ctx = { clock: { timeScale: 1, now: () => new Date() } } as ScenarioContext;
const pack = {
  checks: [
    { id: "api", title: "API answers", points: 5, run: async () => ({ ok: true, message: "The API server answers." }) },
    {
      id: "data",
      title: "Data kept",
      points: 3,
      run: async () => ({ ok: false, message: "Something that existed before is gone.", detail: { actual: "missing", expected: "present" } }),
    },
  ],
};

for (const backend of testBackends("lib/grading/grade-lab-session.test.ts")) {
  describe.skipIf(backend.skipReason !== null)(`gradeLabSession on ${backend.title}`, () => {
    let database: TestDatabase;
    let prisma: PrismaClient;
    beforeAll(async () => {
      database = await backend.create();
      await database.migrate();
      prisma = database.client();
    });
    afterAll(() => database?.drop());

    it("scores passing checks minus the hints used and persists a CheckRun with every result", async () => {
      const user = await prisma.user.create({ data: { name: "learner" } });
      const lab = await prisma.labSession.create({ data: { userId: user.id, scenarioId: "etcd-crashloop", variantId: "cert-file", driver: "sim" } });
      await prisma.hintUse.create({ data: { labSessionId: lab.id, hintIndex: 0, cost: 2 } });

      const g = await gradeLabSession({ labSessionId: lab.id, pack, ctx, prisma });
      expect(g).toMatchObject({ score: 3, maxScore: 8, hintPenalty: 2, allPassed: false });
      expect(g.results.map((r) => [r.id, r.ok])).toEqual([["api", true], ["data", false]]);

      const run = await prisma.checkRun.findUniqueOrThrow({ where: { id: g.checkRunId } });
      expect(run).toMatchObject({ labSessionId: lab.id, score: 3, maxScore: 8, hintPenalty: 2, allPassed: false });
      const stored = JSON.parse(run.results) as { id: string; message: string; detail?: unknown; durationMs: number }[];
      expect(stored[1]).toMatchObject({ id: "data", message: "Something that existed before is gone.", detail: { actual: "missing", expected: "present" } });
      expect(typeof stored[0]!.durationMs).toBe("number");
    });

    it("takes the hint penalty it is given instead of reading it", async () => {
      const user = await prisma.user.create({ data: { name: "learner2" } });
      const lab = await prisma.labSession.create({ data: { userId: user.id, scenarioId: "x", variantId: "y", driver: "sim" } });
      const g = await gradeLabSession({ labSessionId: lab.id, pack, ctx, prisma, hintPenalty: 10 });
      expect(g.score).toBe(0);
      expect(g.hintPenalty).toBe(10);
    });
  });
}
