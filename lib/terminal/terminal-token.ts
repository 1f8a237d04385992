import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { UnauthorizedError } from "@/lib/errors";

/** A token is good for at most this long; the upgrade must happen within it. */
export const TOKEN_MAX_TTL_MS = 60_000;

export interface TerminalGrant {
  userId: string;
  labSessionId: string;
  node: string;
}

export interface VerifiedGrant extends TerminalGrant {
  /** Unique per token, so a token can be spent once. */
  nonce: string;
  expiresAt: number;
}

const payloadSchema = z.strictObject({
  v: z.literal(1),
  u: z.string().min(1).max(200),
  l: z.string().min(1).max(200),
  n: z.string().min(1).max(253),
  exp: z.number().int().positive(),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
});

function mac(secret: Buffer, body: string): Buffer {
  return createHmac("sha256", secret).update(`breakfix-terminal.${body}`).digest();
}

/**
 * `base64url(json).base64url(hmac-sha256)`. The payload binds user, lab session and node and
 * carries its expiry; nothing in it is secret, it only has to be unforgeable and short-lived.
 */
export function signTerminalToken(secret: Buffer, grant: TerminalGrant, opts: { ttlMs?: number; now?: number } = {}): { token: string; expiresAt: number } {
  const ttl = Math.min(opts.ttlMs ?? TOKEN_MAX_TTL_MS, TOKEN_MAX_TTL_MS);
  const expiresAt = (opts.now ?? Date.now()) + ttl;
  const payload = { v: 1, u: grant.userId, l: grant.labSessionId, n: grant.node, exp: expiresAt, nonce: randomBytes(16).toString("base64url") };
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return { token: `${body}.${mac(secret, body).toString("base64url")}`, expiresAt };
}

/**
 * Checks signature and expiry. A bad token is 401 (present a valid one); an expired one too, with
 * a hint, since the client just has to fetch a fresh one. Never says which part was wrong beyond that.
 */
export function verifyTerminalToken(secret: Buffer, token: string | null | undefined, now = Date.now()): VerifiedGrant {
  if (!token) throw new UnauthorizedError("A terminal token is required.");
  const dot = token.indexOf(".");
  if (dot <= 0 || token.length > 2048) throw new UnauthorizedError("The terminal token is malformed.");
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), "base64url");
  const want = mac(secret, body);
  if (given.length !== want.length || !timingSafeEqual(given, want)) throw new UnauthorizedError("The terminal token is not valid.");
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    throw new UnauthorizedError("The terminal token is malformed.");
  }
  const parsed = payloadSchema.safeParse(raw);
  if (!parsed.success) throw new UnauthorizedError("The terminal token is malformed.");
  const p = parsed.data;
  if (p.exp <= now) throw new UnauthorizedError("The terminal token has expired.", { hint: "Fetch a fresh token and connect again." });
  // A token minted with a longer life (a different build, a tampered clock) is refused outright.
  if (p.exp - now > TOKEN_MAX_TTL_MS + 5_000) throw new UnauthorizedError("The terminal token is not valid.");
  return { userId: p.u, labSessionId: p.l, node: p.n, nonce: p.nonce, expiresAt: p.exp };
}

/**
 * Remembers spent nonces until their tokens expire, so a token that leaked into a log or a proxy
 * cannot be replayed within its minute.
 */
export class NonceLedger {
  private readonly spent = new Map<string, number>();

  /** Throws if the nonce was already spent. */
  spend(grant: VerifiedGrant, now = Date.now()): void {
    for (const [nonce, exp] of this.spent) if (exp <= now) this.spent.delete(nonce);
    if (this.spent.has(grant.nonce)) throw new UnauthorizedError("This terminal token was already used.", { hint: "Fetch a fresh token." });
    this.spent.set(grant.nonce, grant.expiresAt);
  }
}
