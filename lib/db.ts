import { getConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { processSingleton } from "@/lib/process-singleton";
import { createPrismaClient } from "@/lib/server/create-prisma-client";

/** The one Prisma client: SQLite or PostgreSQL, by DATABASE_URL. */
export function db(): PrismaClient {
  return processSingleton("prisma", () => createPrismaClient(getConfig().databaseUrl));
}
