import { z } from "zod";
import { SESSION_MAX_AGE_MS } from "@/lib/auth/auth-sessions";
import { SESSION_COOKIE, cookieHeader } from "@/lib/auth/session-cookie";
import type { Config } from "@/lib/config";
import { BreakfixError, NotFoundError, toHttp } from "@/lib/errors";
import { logger } from "@/lib/logger";

/** Runs an auth handler and maps every error through toHttp; nothing here is ever cached. */
export async function authRoute(req: Request, fn: () => Promise<Response>): Promise<Response> {
  let res: Response;
  try {
    res = await fn();
  } catch (err) {
    if (!(err instanceof BreakfixError)) logger.error({ err, url: req.url, method: req.method }, "auth request failed");
    const { status, body } = toHttp(err);
    res = Response.json(body, { status });
  }
  res.headers.set("Cache-Control", "no-store");
  return res;
}

/** The Set-Cookie value that starts a browser's session. */
export const sessionCookieHeader = (token: string, config: Pick<Config, "origin">): string =>
  cookieHeader(SESSION_COOKIE, token, config, { maxAgeSeconds: SESSION_MAX_AGE_MS / 1000 });

/** The Set-Cookie value that ends it in the browser. */
export const clearSessionCookieHeader = (config: Pick<Config, "origin">): string => cookieHeader(SESSION_COOKIE, "", config, { maxAgeSeconds: 0 });

const idSchema = z.string().regex(/^[a-z0-9]{8,40}$/);

/** An id from the path; anything that is not an id is simply "no such thing". */
export function authIdOf(id: string, what: string): string {
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) throw new NotFoundError(`There is no such ${what}.`);
  return parsed.data;
}
