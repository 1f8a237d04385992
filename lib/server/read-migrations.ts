import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface MigrationFile {
  /** The folder name, e.g. 20261121000000_init; migrations apply in this order. */
  name: string;
  sql: string;
  /** sha256 of the SQL, hex: what Prisma records in `_prisma_migrations.checksum`. */
  checksum: string;
}

/** The migrations under `dir` (Prisma's layout: `<name>/migration.sql`), in the order they apply. */
export function readMigrations(dir: string): MigrationFile[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}
