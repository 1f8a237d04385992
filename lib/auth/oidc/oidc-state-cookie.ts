import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { InputError } from "@/lib/errors";

export const OIDC_STATE_COOKIE = "breakfix_oidc";
/** The cookie is only sent to the OIDC routes. */
export const OIDC_COOKIE_PATH = "/api/auth/oidc";
/** A sign-in at the identity provider must come back within this long. */
export const OIDC_STATE_TTL_MS = 10 * 60_000;

const payloadSchema = z.strictObject({
  v: z.literal(1),
  state: z.string().min(16).max(200),
  nonce: z.string().min(16).max(200),
  verifier: z.string().min(43).max(128),
  next: z.string().max(300),
  exp: z.number().int().positive(),
});

export type OidcState = Omit<z.infer<typeof payloadSchema>, "v" | "exp">;

const mac = (secret: Buffer, body: string) => createHmac("sha256", secret).update(`breakfix-oidc.${body}`).digest();

/**
 * What the callback needs to check the provider's answer (state, nonce, the PKCE verifier) and
 * where to go after, kept in the browser rather than the server: `base64url(json).base64url(hmac)`,
 * HttpOnly, so it is neither readable by scripts nor forgeable.
 */
export function signOidcState(secret: Buffer, s: OidcState, now = Date.now()): string {
  const body = Buffer.from(JSON.stringify({ v: 1, ...s, exp: now + OIDC_STATE_TTL_MS })).toString("base64url");
  return `${body}.${mac(secret, body).toString("base64url")}`;
}

/** The state a cookie carries; a missing, forged, malformed or expired one is a 400 saying to start again. */
export function verifyOidcState(secret: Buffer, cookie: string | null, now = Date.now()): OidcState {
  const again = { hint: "Start the sign-in again from /sign-in." };
  if (!cookie) throw new InputError("This sign-in was not started here, or took too long.", again);
  const dot = cookie.indexOf(".");
  const body = dot > 0 ? cookie.slice(0, dot) : "";
  const given = Buffer.from(cookie.slice(dot + 1), "base64url");
  const want = mac(secret, body);
  if (!body || given.length !== want.length || !timingSafeEqual(given, want)) throw new InputError("The sign-in state is not valid.", again);
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    throw new InputError("The sign-in state is not valid.", again);
  }
  const parsed = payloadSchema.safeParse(raw);
  if (!parsed.success) throw new InputError("The sign-in state is not valid.", again);
  if (parsed.data.exp <= now) throw new InputError("This sign-in took too long.", again);
  const { v: _v, exp: _exp, ...state } = parsed.data;
  return state;
}
