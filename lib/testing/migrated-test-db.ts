import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMigrations } from "@/lib/server/migrate";

/** A real SQLite database in a temp dir with every migration applied; `cleanup()` removes it. Tests only. */
export function migratedTestDb(prefix = "breakfix-test-"): { prisma: PrismaClient; url: string; dir: string; cleanup(): Promise<void> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const url = `file:${path.join(dir, "test.db")}`;
  applyMigrations(url);
  const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
  return {
    prisma,
    url,
    dir,
    async cleanup() {
      await prisma.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
