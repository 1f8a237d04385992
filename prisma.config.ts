import path from "node:path";
import { defineConfig } from "prisma/config";

// The CLI (generate, migrate) and the app agree on the database: DATABASE_URL when set,
// otherwise the SQLite file in the data directory (lib/config.ts uses the same rule). A
// PostgreSQL URL takes the PostgreSQL schema and its twin migrations (README, "Database
// migrations"); `npm install` names each schema itself, so it generates both clients whatever
// DATABASE_URL says.
const dataDir = path.resolve(process.env.BREAKFIX_DATA_DIR ?? ".data");
const url = process.env.DATABASE_URL ?? `file:${path.join(dataDir, "breakfix.db")}`;
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  schema: postgres ? "prisma/postgresql/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgresql/migrations" : "prisma/migrations" },
  datasource: { url },
});
