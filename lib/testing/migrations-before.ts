import fs from "node:fs";
import path from "node:path";

export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

/**
 * A copy, under `dir`, of the migrations that come before `migration`: a database migrated with
 * it is one made by the release before that migration, to test the migration's upgrade path.
 */
export function migrationsBefore(migration: string, dir: string): string {
  const only = path.join(dir, "before");
  for (const name of fs.readdirSync(MIGRATIONS_DIR)) {
    if (name >= migration || !fs.statSync(path.join(MIGRATIONS_DIR, name)).isDirectory()) continue;
    fs.cpSync(path.join(MIGRATIONS_DIR, name), path.join(only, name), { recursive: true });
  }
  return only;
}
