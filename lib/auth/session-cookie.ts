import type { Config } from "@/lib/config";

export const SESSION_COOKIE = "breakfix_session";

/**
 * Set-Cookie attributes for a cookie of this app: HttpOnly (no script reads it), SameSite=Lax (not
 * sent on cross-site subrequests or POSTs, still sent when a learner follows a link in), Path=/, and
 * Secure when the public origin is https (behind a TLS proxy the server itself sees http).
 */
export function cookieHeader(
  name: string,
  value: string,
  config: Pick<Config, "origin">,
  opts: { maxAgeSeconds: number; path?: string },
): string {
  const parts = [`${name}=${value}`, `Path=${opts.path ?? "/"}`, `Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`, "HttpOnly", "SameSite=Lax"];
  if (new URL(config.origin).protocol === "https:") parts.push("Secure");
  return parts.join("; ");
}

/** The value of one cookie in a request's Cookie header, or null. Malformed pairs are skipped. */
export function readCookie(request: Pick<Request, "headers">, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header || header.length > 8192) return null;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return null;
}
