import { getConfig } from "@/lib/config";
import { applyMigrations } from "@/lib/server/migrate";

const applied = applyMigrations(getConfig().databaseUrl);
console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
