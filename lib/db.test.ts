import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMigrations } from "@/lib/server/migrate";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-db-"));
const url = `file:${path.join(dir, "test.db")}`;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("migrations and the Prisma client", () => {
  it("applies the migrations once, then reports nothing to do", () => {
    expect(applyMigrations(url)).toEqual(["20261121000000_init", "20261202000000_lab_state_columns", "20261203000000_exam_attempts", "20261204000000_exam_notes_and_focus", "20261205000000_accounts", "20261206000000_self_test_records", "20261208000000_classes"]);
    expect(applyMigrations(url)).toEqual([]);
  });

  it("the migrated schema serves every model through the real client", async () => {
    const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
    try {
      const user = await prisma.user.create({ data: { name: "learner", email: "l@example.test" } });
      const exam = await prisma.exam.create({ data: { slug: "cka-1", title: "CKA practice", minutes: 120, tasks: "[]" } });
      const attempt = await prisma.examAttempt.create({
        data: { examId: exam.id, userId: user.id, deadline: new Date(Date.now() + 3600_000) },
      });
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
      expect(loaded.hintUses[0]?.cost).toBe(2);
      expect(loaded.examAttempt?.state).toBe("provisioning");
      expect(loaded.examTask?.weight).toBe(100);
      await prisma.user.delete({ where: { id: user.id } });
      expect(await prisma.labSession.count()).toBe(0); // cascades
      expect(await prisma.authSession.count()).toBe(0);
    } finally {
      await prisma.$disconnect();
    }
  });
});
