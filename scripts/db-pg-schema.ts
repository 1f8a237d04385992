import fs from "node:fs";
import path from "node:path";
import { derivePostgresSchema } from "@/lib/server/derive-postgres-schema";

// Writes prisma/postgresql/schema.prisma (the PostgreSQL client's schema) from prisma/schema.prisma.
const root = process.cwd();
const target = path.join(root, "prisma", "postgresql", "schema.prisma");
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, derivePostgresSchema(fs.readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8")));
console.log(`wrote ${path.relative(root, target)}`);
