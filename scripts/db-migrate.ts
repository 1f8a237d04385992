import { getConfig } from "@/lib/config";
import { migrateDatabase } from "@/lib/server/migrate-database";

const applied = await migrateDatabase(getConfig().databaseUrl);
console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
