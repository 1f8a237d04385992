import bcrypt from "bcryptjs";
import { z } from "zod";

/** bcrypt's work factor: about 0.2 s per hash here, slow enough to make guessing a leaked hash costly. */
export const BCRYPT_COST = 12;

/**
 * bcrypt reads at most 72 bytes, so a longer password would be silently truncated: refuse it
 * instead. Ten characters is the floor for a password that is typed, not generated.
 */
export const passwordSchema = z
  .string()
  .min(10, "must be at least 10 characters")
  .refine((p) => Buffer.byteLength(p, "utf8") <= 72, "must be at most 72 bytes (bcrypt reads no further)");

export async function hashPassword(password: string, cost = BCRYPT_COST): Promise<string> {
  return bcrypt.hash(passwordSchema.parse(password), cost);
}

// Compared against when the account does not exist, so a missing user costs as much time as a wrong
// password and the answer's timing does not tell which emails have accounts.
let dummy: Promise<string> | undefined;

/** True when `password` matches `hash`; with no hash, spends the same time and answers false. */
export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  if (!hash) {
    dummy ??= bcrypt.hash("breakfix-no-such-account", BCRYPT_COST);
    await bcrypt.compare(password, await dummy);
    return false;
  }
  return bcrypt.compare(password, hash);
}
