import type { Config } from "@/lib/config";
import type { HttpErrorBody } from "@/lib/errors";
import { allowedOrigins } from "@/lib/terminal/terminal-upgrade";

/**
 * The checks every HTTP request and WebSocket upgrade passes before the app sees it, in every mode:
 *
 * - **Host** must be one of the server's own names (BREAKFIX_ORIGIN's host, BREAKFIX_ALLOWED_HOSTS,
 *   and in local mode on loopback the other loopback spellings of the same port). A DNS-rebinding
 *   page reaches the server under the attacker's name, so its requests are refused here.
 * - **State-changing API requests** (any method but GET, HEAD, OPTIONS under /api/) must come from
 *   the app itself: an `Origin` from elsewhere is refused, and so is a browser's
 *   `Sec-Fetch-Site: cross-site`/`same-site` without Origin. Clients that send neither (curl,
 *   scripts) are not browsers and cannot be made to send ambient credentials by another site.
 * - A body on such a request must be JSON (and at most MAX_API_BODY_BYTES) (`Content-Type: application/json`): a cross-site form or
 *   `text/plain` fetch cannot set that type without a CORS preflight, which this server never grants.
 *
 * /api/health answers under any Host, for load balancers and container probes that use an IP.
 */

export type GuardConfig = Pick<Config, "origin" | "mode" | "allowedHosts">;

export interface GuardRequest {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface Refusal {
  status: 400 | 403 | 413 | 415;
  body: HttpErrorBody;
}

const refuse = (status: Refusal["status"], message: string, hint?: string): Refusal => ({
  status,
  body: { error: { code: status === 403 ? "FORBIDDEN" : "INPUT", message, ...(hint ? { hint } : {}) } },
});

/** No API request body is near this: the largest is a notepad or a flag list. */
export const MAX_API_BODY_BYTES = 64 * 1024;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const LOOPBACK = ["127.0.0.1", "localhost", "[::1]"];

/** The Host header values this server answers to, lower-cased (with the port when not the scheme's default). */
export function allowedHosts(config: GuardConfig): Set<string> {
  const set = new Set<string>();
  for (const origin of allowedOrigins(config)) set.add(new URL(origin).host.toLowerCase());
  const own = new URL(config.origin);
  if (config.mode === "local" && LOOPBACK.includes(own.hostname)) {
    // The port the browser shows is in Host; a proxy on the default port sends the bare name.
    for (const h of LOOPBACK) set.add(own.port ? `${h}:${own.port}` : h);
  }
  for (const h of config.allowedHosts) set.add(h.toLowerCase());
  return set;
}

function header(req: GuardRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function hasBody(req: GuardRequest): boolean {
  const len = header(req, "content-length");
  return (len !== undefined && len !== "0") || header(req, "transfer-encoding") !== undefined;
}

/** Null when the request may go on; otherwise what to answer. Pure: the same for every transport. */
export function checkRequest(req: GuardRequest, config: GuardConfig): Refusal | null {
  const path = (req.url ?? "/").split("?")[0]!;
  if (path === "/api/health") return null;
  const host = header(req, "host")?.toLowerCase();
  if (!host) return refuse(400, "The request has no Host header.");
  if (!allowedHosts(config).has(host)) {
    return refuse(
      403,
      `This breakfix server does not answer to the name ${JSON.stringify(host)}.`,
      "Open it at the address in BREAKFIX_ORIGIN, or add this name to BREAKFIX_ALLOWED_HOSTS.",
    );
  }
  const method = (req.method ?? "GET").toUpperCase();
  if (SAFE_METHODS.has(method) || !path.startsWith("/api/")) return null;
  const origin = header(req, "origin");
  if (origin !== undefined) {
    if (!allowedOrigins(config).has(origin)) {
      return refuse(403, "Requests that change something must come from the breakfix app itself.", `This one came from ${origin === "null" ? "an opaque origin" : origin}.`);
    }
  } else {
    const site = header(req, "sec-fetch-site");
    if (site !== undefined && site !== "same-origin" && site !== "none") {
      return refuse(403, "Requests that change something must come from the breakfix app itself.", `This one came from another site (Sec-Fetch-Site: ${site}).`);
    }
  }
  const length = Number(header(req, "content-length") ?? 0);
  if (length > MAX_API_BODY_BYTES) return refuse(413, `The request body is too large (${length} bytes; at most ${MAX_API_BODY_BYTES}).`);
  if (hasBody(req)) {
    const type = (header(req, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") {
      return refuse(415, "The request body must be JSON (Content-Type: application/json).", type ? `It was sent as ${type}.` : undefined);
    }
  }
  return null;
}
