import { runUserCli } from "@/lib/auth/cli/run-user-cli";
import { ConfigError, getConfig } from "@/lib/config";
import { db } from "@/lib/db";
import { BreakfixError } from "@/lib/errors";
import { applyMigrations } from "@/lib/server/migrate";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString("utf8");
}

async function main(): Promise<number> {
  // A first admin is made before the server ever ran: bring the database up to date first.
  applyMigrations(getConfig().databaseUrl);
  try {
    await runUserCli(process.argv.slice(2), { prisma: db(), readStdin, out: (line) => console.log(line) });
    return 0;
  } finally {
    await db().$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof BreakfixError || err instanceof ConfigError) {
      console.error(err.message);
      if (err instanceof BreakfixError && err.hint) console.error(err.hint);
    } else {
      console.error(err);
    }
    process.exit(1);
  },
);
