import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createPrismaClient } from "@/lib/server/create-prisma-client";
import { migrateDatabase } from "@/lib/server/migrate-database";

export type Provider = "sqlite" | "postgresql";

export const MIGRATION_DIRS: Record<Provider, string> = {
  sqlite: path.join(process.cwd(), "prisma", "migrations"),
  postgresql: path.join(process.cwd(), "prisma", "postgresql", "migrations"),
};

/** A database of its own for one test (or one file's tests), dropped by `drop()`. */
export interface TestDatabase {
  provider: Provider;
  url: string;
  /** Applies the provider's migrations; with `before`, only those older than that migration (a database of the release before it). */
  migrate(opts?: { before?: string }): Promise<string[]>;
  /** The app's Prisma client for this database (the one lib/db.ts would make), disconnected by drop(). */
  client(): PrismaClient;
  /** Raw SQL with `?` placeholders, for upgrade tests that write rows an older schema had. Identifiers must be quoted. */
  exec(sql: string, params?: unknown[]): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export interface TestBackend {
  provider: Provider;
  /** The suite's title for this backend, with the skip reason when it is skipped. */
  title: string;
  /** Why this backend is skipped here, or null when it runs. */
  skipReason: string | null;
  create(): Promise<TestDatabase>;
}

const PG_URL = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, "BREAKFIX_TEST_PG_URL must be a postgresql:// URL of a role that may CREATE DATABASE")
  .optional();

/**
 * The databases a suite runs against: SQLite always, PostgreSQL when BREAKFIX_TEST_PG_URL names a
 * server (a role with CREATEDB; each create() makes a database with a random name). Without it
 * the PostgreSQL suite is skipped with the reason in its title, except under CI=true or
 * BREAKFIX_REQUIRE_PG=1, where this throws so the file fails: a skipped suite would count as
 * passed and hide that CI has no PostgreSQL (.ci/run starts one).
 *
 * @example
 * for (const backend of testBackends("lib/db.test.ts")) {
 *   describe.skipIf(backend.skipReason !== null)(`the database on ${backend.title}`, () => { ... });
 * }
 */
export function testBackends(suite: string, env: Record<string, string | undefined> = process.env): TestBackend[] {
  const adminUrl = PG_URL.parse(env.BREAKFIX_TEST_PG_URL || undefined);
  let skipReason: string | null = null;
  if (!adminUrl) {
    if (env.CI === "true" || env.BREAKFIX_REQUIRE_PG === "1") {
      throw new Error(
        `${suite} must run against PostgreSQL here (${env.CI === "true" ? "CI=true" : "BREAKFIX_REQUIRE_PG=1"}) but BREAKFIX_TEST_PG_URL is not set; ` +
          `.ci/start-postgres starts Debian's postgresql and prints the URL to export.`,
      );
    }
    skipReason = "BREAKFIX_TEST_PG_URL is not set (run .ci/start-postgres and export its URL)";
  }
  return [
    { provider: "sqlite", title: "SQLite", skipReason: null, create: async () => createSqliteDatabase() },
    {
      provider: "postgresql",
      title: skipReason ? `PostgreSQL (skipped: ${skipReason})` : "PostgreSQL",
      skipReason,
      create: () => {
        if (!adminUrl) throw new Error(`${suite}: no PostgreSQL server (${skipReason})`);
        return createPostgresDatabase(adminUrl);
      },
    },
  ];
}

/** A copy of the provider's migrations older than `before`, under `dir`. */
function migrationsBefore(provider: Provider, before: string, dir: string): string {
  const only = fs.mkdtempSync(path.join(dir, "before-"));
  for (const name of fs.readdirSync(MIGRATION_DIRS[provider])) {
    const from = path.join(MIGRATION_DIRS[provider], name);
    if (name >= before || !fs.statSync(from).isDirectory()) continue;
    fs.cpSync(from, path.join(only, name), { recursive: true });
  }
  return only;
}

function withClientCache(make: () => PrismaClient): { client(): PrismaClient; disconnect(): Promise<void> } {
  let made: PrismaClient | undefined;
  return {
    client: () => (made ??= make()),
    disconnect: async () => {
      await made?.$disconnect();
    },
  };
}

function createSqliteDatabase(): TestDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-testdb-"));
  const url = `file:${path.join(dir, "test.db")}`;
  const file = url.slice("file:".length);
  const prisma = withClientCache(() => createPrismaClient(url));
  const withSqlite = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(file);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    provider: "sqlite",
    url,
    migrate: async (opts = {}) =>
      migrateDatabase(url, { sqlite: opts.before ? migrationsBefore("sqlite", opts.before, dir) : MIGRATION_DIRS.sqlite }),
    client: prisma.client,
    exec: async (sql, params = []) => {
      withSqlite((db) => db.prepare(sql).run(...params));
    },
    query: async <T>(sql: string, params: unknown[] = []) => withSqlite((db) => db.prepare(sql).all(...params) as T[]),
    drop: async () => {
      await prisma.disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPostgresDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `breakfix_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-testdb-"));
  const prisma = withClientCache(() => createPrismaClient(url));
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // `?` → `$1, $2, …`, so one test's SQL serves both databases.
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    provider: "postgresql",
    url,
    migrate: async (opts = {}) =>
      migrateDatabase(url, { postgresql: opts.before ? migrationsBefore("postgresql", opts.before, dir) : MIGRATION_DIRS.postgresql }),
    client: prisma.client,
    exec: async (sql, params = []) => {
      await pool.query(numbered(sql), params);
    },
    query: async <T>(sql: string, params: unknown[] = []) => (await pool.query(numbered(sql), params)).rows as T[],
    drop: async () => {
      await prisma.disconnect();
      await pool.end();
      fs.rmSync(dir, { recursive: true, force: true });
      const again = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
      await again.connect();
      try {
        await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await again.end();
      }
    },
  };
}
