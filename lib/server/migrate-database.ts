import path from "node:path";
import { applyPostgresMigrations, type PostgresMigrationOptions } from "./apply-postgres-migrations";
import { applyMigrations } from "./migrate";

export interface MigrationDirs {
  /** Default prisma/migrations. */
  sqlite?: string;
  /** Default prisma/postgresql/migrations. */
  postgresql?: string;
}

/**
 * Brings the database at `databaseUrl` up to date, picking the migrations and the path by its
 * scheme: `file:` is SQLite (prisma/migrations), `postgres://` and `postgresql://` are PostgreSQL
 * (their twins under prisma/postgresql/migrations). Returns the names applied. The server runs
 * this before it serves; `npm run db:migrate` runs it alone.
 */
export async function migrateDatabase(databaseUrl: string, dirs: MigrationDirs = {}, opts: PostgresMigrationOptions = {}): Promise<string[]> {
  const root = process.cwd();
  if (databaseUrl.startsWith("file:")) return applyMigrations(databaseUrl, dirs.sqlite ?? path.join(root, "prisma", "migrations"));
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    return applyPostgresMigrations(databaseUrl, dirs.postgresql ?? path.join(root, "prisma", "postgresql", "migrations"), opts);
  }
  throw new Error(`Unsupported DATABASE_URL scheme ${JSON.stringify(databaseUrl.split(":")[0])}: use file: (SQLite) or postgresql:// (PostgreSQL).`);
}
