import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket from "ws";
import { matchUpgradeRoute } from "@/lib/server/upgrade-routes";
import { ACK_EVERY_BYTES, decodeServerMessage, encodeClientMessage, type ServerMessage } from "./protocol";
import { TerminalManager, type TerminalManagerOptions } from "./terminal-manager";
import { signTerminalToken, type TerminalGrant } from "./terminal-token";
import { TERMINAL_WS_PATH, createTerminalUpgradeHandler } from "./terminal-upgrade";

/**
 * A real terminal server on a loopback port (HTTP server + the real upgrade handler + a real
 * manager), for the integration tests and the benchmark. Not used by the app.
 */
export interface TerminalTestServer {
  url: string;
  origin: string;
  secret: Buffer;
  manager: TerminalManager;
  server: Server;
  mint(grant: TerminalGrant, opts?: { now?: number; ttlMs?: number }): string;
  close(): Promise<void>;
}

export async function startTerminalTestServer(opts: TerminalManagerOptions & { secret?: Buffer }): Promise<TerminalTestServer> {
  const secret = opts.secret ?? randomBytes(32);
  const manager = new TerminalManager(opts);
  const server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const handle = createTerminalUpgradeHandler({ manager, secret: () => secret, origins: new Set([origin]) });
  const routes = [{ path: TERMINAL_WS_PATH, handle }];
  server.on("upgrade", (req, socket, head) => {
    const route = matchUpgradeRoute(routes, req.url);
    if (route) route.handle(req, socket, head);
    else socket.destroy();
  });
  return {
    url: `ws://127.0.0.1:${port}${TERMINAL_WS_PATH}`,
    origin,
    secret,
    manager,
    server,
    mint: (grant, o) => signTerminalToken(secret, grant, o).token,
    async close() {
      await manager.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Thrown by TestTerminalClient.connect when the upgrade is refused with an HTTP status. */
export class UpgradeRefused extends Error {
  constructor(readonly status: number, readonly body: string) {
    super(`upgrade refused with HTTP ${status}: ${body}`);
  }
}

/** A protocol client over a real WebSocket that keeps the tail of the output and acks it. */
export class TestTerminalClient {
  /** The last 256 to 512 KiB of output as text (latin1, so byte offsets stay exact). */
  text = "";
  received = 0;
  messages: ServerMessage[] = [];
  closeCode: number | null = null;
  autoAck = true;
  private pendingAck = 0;
  private waiters = new Set<() => void>();
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) =>
      ws.on("close", (code) => {
        this.closeCode = code;
        this.wake();
        resolve(code);
      }),
    );
    ws.on("message", (data: Buffer) => {
      const msg = decodeServerMessage(data);
      if (msg.type === "output") {
        this.received += msg.data.byteLength;
        this.text += Buffer.from(msg.data).toString("latin1");
        if (this.text.length > 512 * 1024) this.text = this.text.slice(-256 * 1024);
        this.pendingAck += msg.data.byteLength;
        if (this.autoAck && this.pendingAck >= ACK_EVERY_BYTES) this.flushAck();
        else if (this.autoAck) setImmediate(() => this.autoAck && this.flushAck());
      } else {
        this.messages.push(msg);
      }
      this.wake();
    });
  }

  static connect(
    url: string,
    token: string,
    opts: { origin?: string; cols?: number; rows?: number; autoPong?: boolean } = {},
  ): Promise<TestTerminalClient> {
    const q = new URLSearchParams({ token });
    if (opts.cols) q.set("cols", String(opts.cols));
    if (opts.rows) q.set("rows", String(opts.rows));
    const ws = new WebSocket(`${url}?${q}`, { origin: opts.origin, perMessageDeflate: false, autoPong: opts.autoPong ?? true });
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(new TestTerminalClient(ws)));
      ws.once("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => reject(new UpgradeRefused(res.statusCode ?? 0, body)));
      });
      ws.once("error", reject);
    });
  }

  private wake(): void {
    for (const w of this.waiters) w();
  }

  flushAck(): void {
    if (this.pendingAck > 0 && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(encodeClientMessage({ type: "ack", bytes: this.pendingAck }));
      this.pendingAck = 0;
    }
  }

  type(s: string): void {
    this.ws.send(encodeClientMessage({ type: "input", data: Buffer.from(s, "utf8") }));
  }

  resize(cols: number, rows: number): void {
    this.ws.send(encodeClientMessage({ type: "resize", cols, rows }));
  }

  /** Waits until `pred` holds, re-checked on every frame; says what it waited for on timeout. */
  until(pred: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pred()) {
          done();
          resolve();
        } else if (this.closeCode !== null) {
          done();
          reject(new Error(`socket closed (${this.closeCode}) while waiting for ${what}; output tail: ${JSON.stringify(this.text.slice(-300))}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; output tail: ${JSON.stringify(this.text.slice(-300))}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  /** Waits for `needle` to appear in output received after `fromOffset` (a `received` value). */
  waitForText(needle: string | RegExp, fromOffset = 0, timeoutMs = 10_000): Promise<void> {
    const test = () => {
      const start = Math.max(0, this.text.length - (this.received - fromOffset));
      const hay = this.text.slice(start);
      return typeof needle === "string" ? hay.includes(needle) : needle.test(hay);
    };
    return this.until(test, `output ${String(needle)}`, timeoutMs);
  }

  close(): Promise<number> {
    this.ws.close();
    return this.closed;
  }

  /** Drops the connection without a close handshake (a network failure). */
  drop(): Promise<number> {
    this.ws.terminate();
    return this.closed;
  }
}
