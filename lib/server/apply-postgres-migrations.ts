import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { readMigrations } from "./read-migrations";

/**
 * The key of the session-level advisory lock held while migrating. It is the one Prisma's schema
 * engine takes for `prisma migrate deploy`, so this and a `migrate deploy` exclude each other too.
 */
export const MIGRATION_LOCK_KEY = 72707369;

export interface PostgresMigrationOptions {
  /** How long to wait for another server that is migrating the same database. */
  lockTimeoutMs?: number;
}

/**
 * Applies prisma/postgresql/migrations/<name>/migration.sql to a PostgreSQL database in order,
 * each in a transaction of its own together with its `_prisma_migrations` row (Prisma's table and
 * columns, sha256 checksum), so a failed migration leaves neither its changes nor a record behind.
 * Returns the names applied.
 *
 * Servers that start at once against one database take turns: the whole run holds
 * `pg_advisory_lock(MIGRATION_LOCK_KEY)`, and a server that waited finds the migrations done.
 */
export async function applyPostgresMigrations(
  databaseUrl: string,
  migrationsDir = path.join(process.cwd(), "prisma", "postgresql", "migrations"),
  opts: PostgresMigrationOptions = {},
): Promise<string[]> {
  const migrations = readMigrations(migrationsDir);
  const lockTimeoutMs = opts.lockTimeoutMs ?? 120_000;
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 15_000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`Cannot connect to PostgreSQL at ${describeServer(databaseUrl)} (DATABASE_URL) to migrate it: ${messageOf(err)}`, { cause: err });
  }
  try {
    // As the app's sessions (lib/server/create-prisma-client.ts): defaults that a migration fills
    // into existing rows are UTC, like everything Prisma writes.
    await client.query("SET TIME ZONE 'UTC'");
    await acquireLock(client, lockTimeoutMs);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum"              VARCHAR(64) NOT NULL,
        "finished_at"           TIMESTAMPTZ,
        "migration_name"        VARCHAR(255) NOT NULL,
        "logs"                  TEXT,
        "rolled_back_at"        TIMESTAMPTZ,
        "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
      )`);
      const { rows } = await client.query<{ migration_name: string }>(
        `SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
      );
      const done = new Set(rows.map((r) => r.migration_name));
      const applied: string[] = [];
      for (const { name, sql, checksum } of migrations) {
        if (done.has(name)) continue;
        const id = randomUUID();
        await client.query("BEGIN");
        try {
          await client.query(`INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at") VALUES ($1, $2, $3, now())`, [id, checksum, name]);
          // No parameters: node-postgres sends the simple query protocol, which runs a file of statements.
          await client.query(sql);
          await client.query(`UPDATE "_prisma_migrations" SET "finished_at" = now(), "applied_steps_count" = 1 WHERE "id" = $1`, [id]);
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK");
          throw new Error(`PostgreSQL migration ${name} failed and was rolled back: ${messageOf(err)}`, { cause: err });
        }
        applied.push(name);
      }
      return applied;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function acquireLock(client: pg.Client, timeoutMs: number): Promise<void> {
  // lock_timeout bounds the wait for the advisory lock like any other heavyweight lock; it is
  // reset at once so the migrations themselves are not cut short by it.
  await client.query(`SET lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
  } catch (err) {
    if (err instanceof Error && "code" in err && err.code === "55P03") {
      throw new Error(
        `Waited ${Math.round(timeoutMs / 1000)}s for another process migrating this PostgreSQL database (advisory lock ${MIGRATION_LOCK_KEY}); ` +
          `if none is running, look for a stuck session in pg_locks.`,
        { cause: err },
      );
    }
    throw err;
  } finally {
    await client.query("RESET lock_timeout");
  }
}

/** host:port/database of a URL, without its credentials (they must not reach logs). */
function describeServer(databaseUrl: string): string {
  try {
    const u = new URL(databaseUrl);
    return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "an unparsable URL";
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
