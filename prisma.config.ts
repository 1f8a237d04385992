import path from "node:path";
import { defineConfig } from "prisma/config";

// The CLI (generate, migrate) and the app agree on the database: DATABASE_URL when set,
// otherwise the SQLite file in the data directory (lib/config.ts uses the same rule).
const dataDir = path.resolve(process.env.BREAKFIX_DATA_DIR ?? ".data");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? `file:${path.join(dataDir, "breakfix.db")}` },
});
