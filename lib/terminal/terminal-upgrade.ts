import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { Config } from "@/lib/config";
import { BreakfixError, ForbiddenError, InputError, toHttp } from "@/lib/errors";
import type { Logger } from "@/lib/logger";
import { MAX_FRAME_BYTES } from "./protocol";
import type { TerminalManager } from "./terminal-manager";
import { NonceLedger, verifyTerminalToken } from "./terminal-token";

export const TERMINAL_WS_PATH = "/api/terminal";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * The origins a terminal WebSocket may come from: the app's own (BREAKFIX_ORIGIN, or
 * http://HOST:PORT). In local mode on a loopback address, the other loopback spellings of the same
 * port are the same app (http://localhost:3000 vs http://127.0.0.1:3000) and are accepted too.
 * Never derived from the request's Host header: a DNS-rebinding page controls that.
 */
export function allowedOrigins(config: Pick<Config, "origin" | "mode">): Set<string> {
  const own = new URL(config.origin);
  const set = new Set([own.origin]);
  if (config.mode === "local" && LOOPBACK.has(own.hostname)) {
    for (const h of LOOPBACK) set.add(`${own.protocol}//${h}${own.port ? `:${own.port}` : ""}`);
  }
  return set;
}

function refuse(socket: Duplex, err: unknown, log?: Logger): void {
  const { status, body } = toHttp(err);
  if (status >= 500) log?.error({ err }, "terminal upgrade failed");
  const text = JSON.stringify(body);
  const reason = status === 401 ? "Unauthorized" : status === 403 ? "Forbidden" : status === 404 ? "Not Found" : status === 429 ? "Too Many Requests" : "Error";
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

function sizeFrom(params: URLSearchParams): { cols: number; rows: number } {
  const n = (k: string, d: number) => {
    const v = params.get(k);
    if (v === null) return d;
    const x = Number(v);
    if (!Number.isInteger(x) || x < 1 || x > 1000) throw new InputError(`${k} must be an integer from 1 to 1000.`);
    return x;
  };
  return { cols: n("cols", 80), rows: n("rows", 24) };
}

/**
 * The /api/terminal upgrade: Origin, then token (signature, expiry, single use), then the
 * manager's admission (authorization, caps, what to spawn). Every refusal is an HTTP status
 * written on the raw socket before any WebSocket exists, and no process is started for it.
 */
export function createTerminalUpgradeHandler(deps: {
  manager: TerminalManager;
  secret: () => Buffer;
  origins: Set<string>;
  ledger?: NonceLedger;
  log?: Logger;
}): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES + 16, perMessageDeflate: false });
  const ledger = deps.ledger ?? new NonceLedger();
  return (req, socket, head) => {
    socket.on("error", (err) => deps.log?.debug({ err }, "terminal upgrade socket error"));
    void (async () => {
      const origin = req.headers.origin;
      if (!origin || !deps.origins.has(origin)) {
        throw new ForbiddenError("This terminal can only be opened from the breakfix app itself.");
      }
      const url = new URL(req.url ?? "/", "http://localhost");
      const grant = verifyTerminalToken(deps.secret(), url.searchParams.get("token"));
      const size = sizeFrom(url.searchParams);
      ledger.spend(grant);
      return deps.manager.admit(grant, size);
    })().then(
      (admission) => {
        if (socket.destroyed) {
          admission.abandon();
          return;
        }
        // ws answers a malformed handshake itself and never calls back: release the slot then.
        socket.once("close", () => admission.abandon());
        try {
          wss.handleUpgrade(req, socket, head, (ws) => admission.attach(ws));
        } catch (err) {
          admission.abandon();
          throw err;
        }
      },
      (err: unknown) => {
        if (!(err instanceof BreakfixError)) deps.log?.error({ err }, "terminal upgrade failed");
        if (!socket.destroyed) refuse(socket, err, deps.log);
      },
    );
  };
}
