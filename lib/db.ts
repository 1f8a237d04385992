import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { getConfig } from "@/lib/config";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { processSingleton } from "@/lib/process-singleton";

function createClient(): PrismaClient {
  const { databaseUrl } = getConfig();
  if (!databaseUrl.startsWith("file:")) {
    throw new Error("Only SQLite (file:) is wired up so far; PostgreSQL needs its driver adapter in lib/db.ts.");
  }
  fs.mkdirSync(path.dirname(databaseUrl.slice("file:".length)), { recursive: true });
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: databaseUrl }) });
}

/** The one Prisma client. */
export function db(): PrismaClient {
  return processSingleton("prisma", createClient);
}
