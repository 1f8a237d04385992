import { z } from "zod";
import {
  ACK_EVERY_BYTES,
  CLOSE,
  decodeServerMessage,
  encodeClientMessage,
  inputFrames,
} from "@/lib/terminal/protocol";

export type ConnectionState =
  | { kind: "connecting" }
  | { kind: "connected" }
  | { kind: "reconnecting"; attempt: number; message: string }
  | { kind: "disconnected"; message: string; canRetry: boolean }
  | { kind: "exited"; code: number };

export interface ConnectionEvents {
  /** Bytes for the screen; call done() once they are rendered (that is what gets acked). */
  output(data: Uint8Array, done: () => void): void;
  /** A (re)connect is about to replay the screen: clear it first. */
  reset(): void;
  state(s: ConnectionState): void;
  /** An error frame: something for the learner to read. */
  notice(message: string): void;
}

const tokenReplySchema = z.object({ token: z.string().min(1), path: z.string().startsWith("/") });
const errorBodySchema = z.object({ error: z.object({ message: z.string(), hint: z.string().optional() }) });
type TokenReply = z.infer<typeof tokenReplySchema>;

const PING_EVERY_MS = 15_000;
/** No frame at all for this long means the connection is dead even if the socket says open. */
const SILENCE_LIMIT_MS = 40_000;
/** The server keeps a dropped pty for 60 s; retrying longer than that only finds it gone. */
const GIVE_UP_AFTER_MS = 75_000;

/**
 * One terminal's connection from the browser: fetch a fresh token, open the WebSocket, speak the
 * binary protocol (lib/terminal/protocol.ts), ack rendered output for flow control, and reconnect
 * with backoff when the network drops, since the server keeps the shell and replays recent output.
 * Never retries what a retry cannot fix: 401/403/404 from the token route, a replaced terminal,
 * an exited shell.
 */
export class TerminalConnection {
  private ws: WebSocket | null = null;
  private disposed = false;
  private attempt = 0;
  private downSince = 0;
  private unacked = 0;
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private size = { cols: 80, rows: 24 };
  private readonly encoder = new TextEncoder();
  private readonly onOnline = () => {
    if (!this.ws && this.retryTimer) this.retryNow();
  };

  constructor(
    private readonly opts: { labSessionId: string; node: string; tokenUrl?: string },
    private readonly on: ConnectionEvents,
  ) {}

  /** A reconnect is scheduled: it runs when its backoff timer fires (or on retryNow / online). */
  get retryScheduled(): boolean {
    return this.retryTimer !== null;
  }

  /** A socket is open or opening. */
  get socketOpen(): boolean {
    return this.ws !== null;
  }

  start(): void {
    window.addEventListener("online", this.onOnline);
    void this.connect();
  }

  /** The learner's reconnect button. */
  retryNow(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt = 0;
    this.downSince = 0;
    void this.connect();
  }

  send(text: string): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    for (const f of inputFrames(this.encoder.encode(text))) ws.send(f);
  }

  resize(cols: number, rows: number): void {
    if (cols === this.size.cols && rows === this.size.rows) return;
    this.size = { cols, rows };
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(encodeClientMessage({ type: "resize", cols, rows }));
  }

  dispose(): void {
    this.disposed = true;
    window.removeEventListener("online", this.onOnline);
    this.clearTimers();
    this.ws?.close(1000, "tab closed");
    this.ws = null;
  }

  private clearTimers(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.ackTimer = this.retryTimer = this.pingTimer = null;
  }

  private async fetchToken(): Promise<TokenReply | { fatal: string } | { transient: string }> {
    try {
      const res = await fetch(this.opts.tokenUrl ?? "/api/terminal/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ labSessionId: this.opts.labSessionId, node: this.opts.node }),
        cache: "no-store",
      });
      const body: unknown = await res.json().catch(() => null);
      const reply = tokenReplySchema.safeParse(body);
      if (res.ok && reply.success) return reply.data;
      const err = errorBodySchema.safeParse(body);
      const message = err.success ? [err.data.error.message, err.data.error.hint].filter(Boolean).join(" ") : `The server answered ${res.status}.`;
      // Authorization and "no such lab/node" do not get better by retrying.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) return { fatal: message };
      return { transient: message };
    } catch {
      return { transient: "The server cannot be reached." };
    }
  }

  private async connect(): Promise<void> {
    if (this.disposed) return;
    this.on.state(this.attempt === 0 ? { kind: "connecting" } : { kind: "reconnecting", attempt: this.attempt, message: "Reconnecting…" });
    const reply = await this.fetchToken();
    if (this.disposed) return;
    if ("fatal" in reply) {
      this.on.state({ kind: "disconnected", message: reply.fatal, canRetry: true });
      return;
    }
    if ("transient" in reply) {
      this.scheduleRetry(reply.transient);
      return;
    }
    const loc = window.location;
    const q = new URLSearchParams({ token: reply.token, cols: String(this.size.cols), rows: String(this.size.rows) });
    const ws = new WebSocket(`${loc.protocol === "https:" ? "wss:" : "ws:"}//${loc.host}${reply.path}?${q}`);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.downSince = 0;
      this.unacked = 0;
      this.lastFrameAt = Date.now();
      this.on.reset();
      this.on.state({ kind: "connected" });
      ws.send(encodeClientMessage({ type: "resize", cols: this.size.cols, rows: this.size.rows }));
      this.pingTimer = setInterval(() => {
        if (Date.now() - this.lastFrameAt > SILENCE_LIMIT_MS) {
          ws.close(4999, "silent");
          return;
        }
        if (ws.readyState === WebSocket.OPEN) ws.send(encodeClientMessage({ type: "ping", t: Date.now() }));
      }, PING_EVERY_MS);
    };
    ws.onmessage = (ev: MessageEvent<ArrayBuffer | string>) => {
      if (typeof ev.data === "string") return;
      this.lastFrameAt = Date.now();
      let msg;
      try {
        msg = decodeServerMessage(ev.data);
      } catch {
        return; // a newer server's frame type: ignore rather than drop the session
      }
      switch (msg.type) {
        case "output": {
          const n = msg.data.byteLength;
          this.on.output(msg.data, () => this.rendered(ws, n));
          break;
        }
        case "exit":
          this.on.state({ kind: "exited", code: msg.code });
          break;
        case "error":
          this.on.notice(msg.message);
          break;
        case "pong":
          break;
      }
    };
    ws.onclose = (ev) => {
      if (this.ws === ws) this.ws = null;
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      if (this.disposed) return;
      switch (ev.code) {
        case CLOSE.exited:
          return; // state already set by the exit frame
        case CLOSE.replaced:
          this.on.state({ kind: "disconnected", message: "This terminal is open in another window.", canRetry: true });
          return;
        case CLOSE.idle:
          this.on.state({ kind: "disconnected", message: "Closed after a long time without input.", canRetry: true });
          return;
        case CLOSE.ended:
          this.on.state({ kind: "disconnected", message: "The terminal was closed by the server.", canRetry: true });
          return;
        case CLOSE.protocol:
          this.on.state({ kind: "disconnected", message: "The connection broke the terminal protocol.", canRetry: true });
          return;
        default:
          this.scheduleRetry(opened ? "Connection lost. Reconnecting…" : "Could not connect. Retrying…");
      }
    };
  }

  /** Acks rendered bytes: at once past ACK_EVERY_BYTES, otherwise soon, batched. */
  private rendered(ws: WebSocket, n: number): void {
    if (ws !== this.ws) return;
    this.unacked += n;
    const flush = () => {
      this.ackTimer = null;
      if (this.unacked > 0 && ws.readyState === WebSocket.OPEN) {
        ws.send(encodeClientMessage({ type: "ack", bytes: this.unacked }));
        this.unacked = 0;
      }
    };
    if (this.unacked >= ACK_EVERY_BYTES) {
      if (this.ackTimer) clearTimeout(this.ackTimer);
      flush();
    } else if (!this.ackTimer) {
      this.ackTimer = setTimeout(flush, 20);
    }
  }

  private scheduleRetry(message: string): void {
    if (this.disposed) return;
    if (!this.downSince) this.downSince = Date.now();
    if (Date.now() - this.downSince > GIVE_UP_AFTER_MS) {
      this.on.state({ kind: "disconnected", message: "Disconnected. The connection stayed down too long.", canRetry: true });
      return;
    }
    this.attempt++;
    const delay = Math.min(5_000, 250 * 2 ** (this.attempt - 1)) * (0.75 + Math.random() * 0.5);
    this.on.state({ kind: "reconnecting", attempt: this.attempt, message });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }
}
