import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/prisma-pg/client";

/**
 * A Prisma client for `databaseUrl`: SQLite through better-sqlite3 for `file:` URLs, PostgreSQL
 * through node-postgres for `postgres://` and `postgresql://` ones.
 *
 * PostgreSQL gets the client generated from prisma/postgresql/schema.prisma (Prisma 7 ties a
 * generated client to one provider; lib/server/derive-postgres-schema.ts says why). The rest of the
 * code is typed against the SQLite client. Both clients come from the same models, so their results
 * are the same types, and PostgreSQL's inputs are a superset of SQLite's (it adds `mode:
 * "insensitive"`, `skipDuplicates`, more isolation levels): every call written against the SQLite
 * type is valid on PostgreSQL, which is what the cast below claims. TypeScript cannot see it
 * itself, because the two `$transaction` overload sets differ in those isolation levels.
 */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  if (databaseUrl.startsWith("file:")) {
    fs.mkdirSync(path.dirname(databaseUrl.slice("file:".length)), { recursive: true });
    return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: databaseUrl }) });
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    // Prisma stores DateTime as UTC in TIMESTAMP(3) (no zone). Sessions in UTC make the columns'
    // DEFAULT CURRENT_TIMESTAMP agree with it on a server whose TimeZone is local time.
    return new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, options: "-c TimeZone=UTC" }) }) as unknown as PrismaClient;
  }
  throw new Error(`Unsupported DATABASE_URL ${JSON.stringify(databaseUrl.split(":")[0])}: use file: (SQLite) or postgresql:// (PostgreSQL).`);
}
