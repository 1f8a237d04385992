import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "@/lib/config";
import { UnavailableError } from "@/lib/errors";

export const SECRET_FILE = "terminal-secret";

/**
 * The HMAC key for terminal tokens: BREAKFIX_SECRET, or in local mode a random key generated
 * once into `<data dir>/terminal-secret` (mode 0600) so tokens survive a restart. Shared mode has
 * no fallback: several servers behind a proxy must share one key, and a key nobody chose is a
 * key nobody rotates.
 */
export function loadTerminalSecret(config: Pick<Config, "secret" | "mode" | "dataDir">): Buffer {
  if (config.secret) return Buffer.from(config.secret, "utf8");
  if (config.mode === "shared") {
    throw new UnavailableError("Terminals are disabled: BREAKFIX_SECRET is not set.", {
      hint: "Shared mode needs BREAKFIX_SECRET (at least 32 random characters), e.g. `openssl rand -base64 48`.",
    });
  }
  const file = path.join(config.dataDir, SECRET_FILE);
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    // "wx": the first process to start wins; a second one reads what the first wrote.
    fs.writeFileSync(file, randomBytes(48).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const key = fs.readFileSync(file, "utf8").trim();
  if (key.length < 32) {
    throw new UnavailableError(`The terminal secret in ${file} is shorter than 32 characters.`, { hint: "Delete the file; a new one is generated at start." });
  }
  return Buffer.from(key, "utf8");
}
