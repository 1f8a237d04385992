import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { readMigrations } from "./read-migrations";

/**
 * Applies prisma/migrations/<name>/migration.sql to a SQLite database in order, recording each in
 * Prisma's own `_prisma_migrations` table (same columns, sha256 checksum), so `prisma migrate
 * deploy` on a machine that has Prisma's schema engine sees them as applied. PostgreSQL has its
 * own twin migrations and path (lib/server/migrate-database.ts picks by URL).
 *
 * Why not `prisma migrate deploy`: the schema engine is a native binary that Prisma downloads
 * from its own CDN at first use; offline machines (this project's CI among them) cannot get it.
 * Migration SQL is written in Prisma's format and kept next to the schema.
 */
export function applyMigrations(databaseUrl: string, migrationsDir = path.join(process.cwd(), "prisma", "migrations")): string[] {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error("applyMigrations is the SQLite path; PostgreSQL databases are migrated by migrateDatabase (lib/server/migrate-database.ts).");
  }
  const file = databaseUrl.slice("file:".length);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
    )`);
    const done = new Set(
      (sqlite.prepare(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`).all() as {
        migration_name: string;
      }[]).map((r) => r.migration_name),
    );
    const applied: string[] = [];
    for (const { name, sql, checksum } of readMigrations(migrationsDir)) {
      if (done.has(name)) continue;
      const id = randomUUID();
      sqlite.transaction(() => {
        sqlite.prepare(`INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES (?, ?, ?, ?)`).run(
          id,
          checksum,
          name,
          Date.now(),
        );
        sqlite.exec(sql);
        sqlite.prepare(`UPDATE _prisma_migrations SET finished_at = ?, applied_steps_count = 1 WHERE id = ?`).run(Date.now(), id);
      })();
      applied.push(name);
    }
    return applied;
  } finally {
    sqlite.close();
  }
}
