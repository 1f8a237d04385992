import type { Config } from "@/lib/config";
import { checkRequest } from "@/lib/server/request-guard";

export interface RouteCall {
  method?: string;
  /** Path and query, e.g. "/api/labs/abc/check". */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Leave Content-Length out, as a chunked upload does. */
  chunked?: boolean;
  params?: Record<string, string>;
}

export type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/**
 * Calls a route handler the way server.ts does: the request guard first (Host, Origin,
 * Sec-Fetch-Site, body size and type, on the same headers), then Next's handler. Defaults are a
 * browser on the app's own page: Host and Origin of BREAKFIX_ORIGIN, JSON bodies.
 */
export async function callRoute(handler: RouteHandler, call: RouteCall, config: Pick<Config, "origin" | "mode" | "allowedHosts">): Promise<Response> {
  const method = call.method ?? (call.body === undefined ? "GET" : "POST");
  const own = new URL(config.origin);
  const headers: Record<string, string> = { host: own.host, ...(method === "GET" ? {} : { origin: own.origin }) };
  if (call.body !== undefined) {
    headers["content-type"] = "application/json";
    if (!call.chunked) headers["content-length"] = String(Buffer.byteLength(call.body));
    else headers["transfer-encoding"] = "chunked";
  }
  for (const [k, v] of Object.entries(call.headers ?? {})) {
    if (v === "") delete headers[k.toLowerCase()];
    else headers[k.toLowerCase()] = v;
  }
  const refused = checkRequest({ method, url: call.path, headers }, config);
  if (refused) return Response.json(refused.body, { status: refused.status });
  const { "transfer-encoding": _te, ...sent } = headers;
  const req = new Request(new URL(call.path, config.origin), { method, headers: sent, body: call.body });
  return handler(req, { params: Promise.resolve(call.params ?? {}) });
}
