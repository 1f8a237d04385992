import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { ScenarioContext } from "@/lib/scenarios/context";
import { applyMigrations } from "@/lib/server/migrate";
import { gradeLabSession } from "./grade-lab-session";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-grade-"));
const url = `file:${path.join(dir, "test.db")}`;
applyMigrations(url);
const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
afterAll(async () => {
  await prisma.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

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

describe("gradeLabSession", () => {
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
