import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMigrations } from "@/lib/server/migrate";

/** A fresh SQLite file with every migration applied, and a real client on it; `close()` removes it. */
export function migratedTestDb(label: string): { prisma: PrismaClient; url: string; dir: string; close(): Promise<void> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `breakfix-${label}-`));
  const url = `file:${path.join(dir, "test.db")}`;
  applyMigrations(url);
  const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
  return {
    prisma,
    url,
    dir,
    async close() {
      await prisma.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
