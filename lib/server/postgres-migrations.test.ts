import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MIGRATION_DIRS, testBackends, type TestDatabase } from "@/lib/testing/test-databases";
import { applyPostgresMigrations, MIGRATION_LOCK_KEY } from "./apply-postgres-migrations";
import { derivePostgresSchema } from "./derive-postgres-schema";
import { migrateDatabase } from "./migrate-database";
import { readMigrations } from "./read-migrations";

const root = process.cwd();
const names = (dir: string) => readMigrations(dir).map((m) => m.name);

describe("the PostgreSQL twins of the SQLite migrations", () => {
  it("every SQLite migration has a PostgreSQL twin of the same name, and no twin lacks its SQLite migration", () => {
    const sqlite = names(MIGRATION_DIRS.sqlite);
    expect(sqlite.length).toBeGreaterThan(0);
    expect({ missingTwins: sqlite.filter((n) => !names(MIGRATION_DIRS.postgresql).includes(n)) }).toEqual({ missingTwins: [] });
    expect({ orphanTwins: names(MIGRATION_DIRS.postgresql).filter((n) => !sqlite.includes(n)) }).toEqual({ orphanTwins: [] });
    expect(fs.readFileSync(path.join(MIGRATION_DIRS.postgresql, "migration_lock.toml"), "utf8")).toMatch(/^provider = "postgresql"$/m);
  });

  it("prisma/postgresql/schema.prisma is what npm run db:pg-schema derives from prisma/schema.prisma", () => {
    const derived = derivePostgresSchema(fs.readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8"));
    expect(fs.readFileSync(path.join(root, "prisma", "postgresql", "schema.prisma"), "utf8")).toBe(derived);
    expect(derived).toMatch(/provider = "postgresql"/);
    expect(derived).not.toMatch(/provider = "sqlite"/);
  });

  it("refuses to derive from a schema that is not the SQLite one it expects", () => {
    expect(() => derivePostgresSchema('datasource db {\n  provider = "mysql"\n}')).toThrow(/expected `provider = "sqlite"`/);
  });

  it("refuses a database URL that is neither SQLite nor PostgreSQL", async () => {
    await expect(migrateDatabase("mysql://db/breakfix")).rejects.toThrow(/Unsupported DATABASE_URL scheme "mysql"/);
  });
});

interface Shape {
  columns: string[];
  indexes: string[];
  foreignKeys: string[];
}

/** Strips PostgreSQL's casts and SQLite's spelling so equal defaults compare equal. */
const normalDefault = (d: string | null) => (d === null ? "none" : d.replace(/::[a-z ]+$/i, "").toLowerCase());
const PG_TYPES: Record<string, string> = { TEXT: "text", INTEGER: "integer", DATETIME: "timestamp", BOOLEAN: "boolean", "INTEGER UNSIGNED": "integer" };
const PG_ACTIONS: Record<string, string> = { c: "CASCADE", n: "SET NULL", a: "NO ACTION", r: "RESTRICT", d: "SET DEFAULT" };

async function sqliteShape(db: TestDatabase): Promise<Record<string, Shape>> {
  const tables = await db.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`);
  const out: Record<string, Shape> = {};
  for (const { name } of tables) {
    const cols = await db.query<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>(`SELECT * FROM pragma_table_info(?)`, [name]);
    const idx = await db.query<{ name: string; unique: number; origin: string }>(`SELECT * FROM pragma_index_list(?)`, [name]);
    const indexes: string[] = [];
    for (const i of idx.filter((x) => x.origin === "c")) {
      const on = await db.query<{ name: string }>(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, [i.name]);
      indexes.push(`${i.name} ${i.unique ? "unique " : ""}(${on.map((c) => c.name).join(", ")})`);
    }
    const fks = await db.query<{ table: string; from: string; to: string; on_update: string; on_delete: string }>(`SELECT * FROM pragma_foreign_key_list(?)`, [name]);
    out[name] = {
      columns: cols.map((c) => `${c.name} ${PG_TYPES[c.type] ?? c.type}${c.notnull || c.pk ? " not null" : ""}${c.pk ? " pk" : ""} default ${normalDefault(c.dflt_value)}`).sort(),
      indexes: indexes.sort(),
      foreignKeys: fks.map((f) => `${f.from} -> ${f.table}.${f.to} on delete ${f.on_delete} on update ${f.on_update}`).sort(),
    };
  }
  return out;
}

async function postgresShape(db: TestDatabase): Promise<Record<string, Shape>> {
  const cols = await db.query<{ table: string; name: string; type: string; nullable: string; dflt: string | null; pk: boolean }>(`
    SELECT c.table_name AS "table", c.column_name AS name, c.data_type AS type, c.is_nullable AS nullable, c.column_default AS dflt,
      EXISTS (SELECT 1 FROM pg_index ix JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = ANY (ix.indkey)
              WHERE ix.indisprimary AND ix.indrelid = format('%I', c.table_name)::regclass AND a.attname = c.column_name) AS pk
    FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name <> '_prisma_migrations'`);
  const idx = await db.query<{ table: string; name: string; unique: boolean; columns: string }>(`
    SELECT t.relname AS "table", i.relname AS name, ix.indisunique AS "unique",
      string_agg(a.attname, ', ' ORDER BY k.ord) AS columns
    FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
    WHERE n.nspname = 'public' AND NOT ix.indisprimary AND t.relname <> '_prisma_migrations'
    GROUP BY t.relname, i.relname, ix.indisunique`);
  const fks = await db.query<{ table: string; from: string; ref: string; to: string; del: string; upd: string }>(`
    SELECT t.relname AS "table", a.attname AS "from", rt.relname AS ref, ra.attname AS "to", c.confdeltype AS del, c.confupdtype AS upd
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class rt ON rt.oid = c.confrelid
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
    WHERE c.contype = 'f'`);
  const out: Record<string, Shape> = {};
  const shape = (t: string) => (out[t] ??= { columns: [], indexes: [], foreignKeys: [] });
  for (const c of cols) {
    const type = c.type.startsWith("timestamp") ? "timestamp" : c.type;
    shape(c.table).columns.push(`${c.name} ${type}${c.nullable === "NO" ? " not null" : ""}${c.pk ? " pk" : ""} default ${normalDefault(c.dflt)}`);
  }
  for (const i of idx) shape(i.table).indexes.push(`${i.name} ${i.unique ? "unique " : ""}(${i.columns})`);
  for (const f of fks) shape(f.table).foreignKeys.push(`${f.from} -> ${f.ref}.${f.to} on delete ${PG_ACTIONS[f.del]} on update ${PG_ACTIONS[f.upd]}`);
  for (const s of Object.values(out)) {
    s.columns.sort();
    s.indexes.sort();
    s.foreignKeys.sort();
  }
  return out;
}

const [sqliteBackend, pgBackend] = testBackends("lib/server/postgres-migrations.test.ts");

describe.skipIf(pgBackend!.skipReason !== null)(`the migrations applied on ${pgBackend!.title}`, () => {
  const made: TestDatabase[] = [];
  const fresh = async (backend = pgBackend!) => {
    const db = await backend.create();
    made.push(db);
    return db;
  };
  let scratch: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-pg-migrations-"));
  });
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
  afterEach(async () => {
    await Promise.all(made.splice(0).map((db) => db.drop()));
  });

  it("make the same tables, columns, defaults, indexes and foreign keys as the SQLite migrations", async () => {
    const [lite, post] = await Promise.all([fresh(sqliteBackend), fresh()]);
    await lite.migrate();
    await post.migrate();
    const expected = await sqliteShape(lite);
    expect(Object.keys(expected).length).toBeGreaterThan(5);
    expect(await postgresShape(post)).toEqual(expected);
  });

  it("two servers starting at once apply each migration exactly once", async () => {
    const db = await fresh();
    const [a, b] = await Promise.all([db.migrate(), db.migrate()]);
    const all = names(MIGRATION_DIRS.postgresql);
    // One of them waited on the advisory lock and then found nothing left to do.
    expect([a, b].sort((x, y) => x.length - y.length)).toEqual([[], all]);
    const rows = await db.query<{ migration_name: string }>(`SELECT "migration_name" FROM "_prisma_migrations" ORDER BY "migration_name"`);
    expect(rows.map((r) => r.migration_name)).toEqual(all);
  });

  it("a failing migration is rolled back with its record, names itself, and the ones before it stay applied", async () => {
    const db = await fresh();
    const dir = fs.mkdtempSync(path.join(scratch, "broken-"));
    fs.mkdirSync(path.join(dir, "001_ok"));
    fs.writeFileSync(path.join(dir, "001_ok", "migration.sql"), `CREATE TABLE "Kept" ("id" TEXT NOT NULL);`);
    fs.mkdirSync(path.join(dir, "002_broken"));
    fs.writeFileSync(path.join(dir, "002_broken", "migration.sql"), `CREATE TABLE "Half" ("id" TEXT NOT NULL);\nSELECT no_such_function();`);
    await expect(applyPostgresMigrations(db.url, dir)).rejects.toThrow(/migration 002_broken failed and was rolled back: function no_such_function\(\) does not exist/);
    const tables = await db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
    expect(tables.map((t) => t.table_name)).toEqual(["Kept", "_prisma_migrations"]);
    expect(await db.query(`SELECT "migration_name", "applied_steps_count" FROM "_prisma_migrations"`)).toEqual([{ migration_name: "001_ok", applied_steps_count: 1 }]);
  });

  it("run, like the app's sessions, in UTC on a server whose time zone is local time", async () => {
    const db = await fresh();
    await db.exec(`ALTER DATABASE "${new URL(db.url).pathname.slice(1)}" SET timezone TO 'America/New_York'`);
    const dir = fs.mkdtempSync(path.join(scratch, "tz-"));
    fs.mkdirSync(path.join(dir, "001_tz"));
    fs.writeFileSync(path.join(dir, "001_tz", "migration.sql"), `CREATE TABLE "Zone" AS SELECT current_setting('TimeZone') AS "tz";`);
    await applyPostgresMigrations(db.url, dir);
    expect(await db.query(`SELECT "tz" FROM "Zone"`)).toEqual([{ tz: "UTC" }]);

    await db.migrate();
    const prisma = db.client();
    // A row whose createdAt comes from the column's DEFAULT CURRENT_TIMESTAMP, not from Prisma.
    await prisma.$executeRawUnsafe(`INSERT INTO "User" ("id", "name") VALUES ('by-default', 'learner')`);
    const { createdAt } = await prisma.user.findUniqueOrThrow({ where: { id: "by-default" } });
    expect(Math.abs(createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("gives up waiting for another migrating server after its lock timeout, saying what it waited for", async () => {
    const db = await fresh();
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      await expect(applyPostgresMigrations(db.url, MIGRATION_DIRS.postgresql, { lockTimeoutMs: 300 })).rejects.toThrow(
        /Waited 0s for another process migrating this PostgreSQL database \(advisory lock 72707369\)/,
      );
    } finally {
      await holder.end();
    }
    expect(await db.migrate()).toEqual(names(MIGRATION_DIRS.postgresql));
  });
});
