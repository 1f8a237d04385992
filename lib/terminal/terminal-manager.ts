import os from "node:os";
import * as pty from "node-pty";
import type { RawData, WebSocket } from "ws";
import { ConflictError, LimitError } from "@/lib/errors";
import type { Logger } from "@/lib/logger";
import type { RecordingSink, TerminalRecorder } from "./asciicast-recorder";
import { killSession } from "./kill-session";
import { PtyInput } from "./pty-input";
import { ByteRing } from "./byte-ring";
import {
  CLOSE,
  HIGH_WATERMARK,
  LOW_WATERMARK,
  ProtocolError,
  decodeClientMessage,
  encodeServerMessage,
  outputFrames,
} from "./protocol";
import type { TerminalGrant } from "./terminal-token";
import type { TerminalTarget, TerminalTargetResolver } from "./terminal-target";

export interface TerminalManagerOptions {
  resolver: TerminalTargetResolver;
  recorder?: TerminalRecorder;
  log?: Logger;
  /** How long a pty outlives its dropped socket. */
  detachGraceMs?: number;
  /** No input for this long ends the shell. */
  idleTimeoutMs?: number;
  maxPerLab?: number;
  /** Terminals one user may have at once, over all their labs (BREAKFIX_MAX_TERMINALS_PER_USER). */
  maxPerUser?: number;
  maxTotal?: number;
  /** Output kept for replay on reattach. */
  replayBytes?: number;
  highWatermark?: number;
  lowWatermark?: number;
  /** Sockets that answer no WebSocket ping within this long are dropped (and the pty detached). */
  heartbeatMs?: number;
  /** Instrumentation for tests and the benchmark: called synchronously at the pty boundary. */
  probe?: TerminalProbe;
}

export interface TerminalProbe {
  /** Bytes just written to the pty. */
  input?(t: TerminalInfo, data: Buffer, atMs: number): void;
  /** Bytes just read from the pty. */
  output?(t: TerminalInfo, data: Buffer, atMs: number): void;
  flow?(t: TerminalInfo, paused: boolean): void;
}

export interface TerminalInfo {
  key: string;
  userId: string;
  labSessionId: string;
  node: string;
  pid: number;
  attached: boolean;
  paused: boolean;
  unackedBytes: number;
  bufferedBytes: number;
  outputBytes: number;
}

/** A slot reserved by `admit`: attach the upgraded socket, or abandon if the upgrade failed. */
export interface Admission {
  attach(ws: WebSocket): void;
  abandon(): void;
}

export const TERMINAL_DEFAULTS = {
  detachGraceMs: 60_000,
  idleTimeoutMs: 30 * 60_000,
  maxPerLab: 8,
  maxPerUser: 6,
  maxTotal: 100,
  replayBytes: 64 * 1024,
  heartbeatMs: 30_000,
} as const;

interface Terminal {
  key: string;
  grant: TerminalGrant;
  pty: pty.IPty;
  input: PtyInput;
  pid: number;
  target: TerminalTarget;
  ring: ByteRing;
  recording: RecordingSink | null;
  socket: WebSocket | null;
  unacked: number;
  paused: boolean;
  outputBytes: number;
  detachTimer: NodeJS.Timeout | null;
  idleTimer: NodeJS.Timeout | null;
  alive: boolean;
  exited: Promise<number>;
  /** Set once the terminal is being torn down by the server (lab end, idle, shutdown...). */
  ending: { code: number; message: string } | null;
}

const keyOf = (g: TerminalGrant) => `${g.userId}\u0000${g.labSessionId}\u0000${g.node}`;

/**
 * Owns every pty of the process. One pty per (user, lab session, node): a new socket for the same
 * triple reattaches (and replaces a socket still attached, like `tmux attach -d`). A pty outlives
 * its socket for detachGraceMs, then it is killed. Killing means SIGHUP to the shell, then SIGKILL
 * to every process still in its session, so background jobs do not outlive the terminal.
 */
export class TerminalManager {
  private readonly terminals = new Map<string, Terminal>();
  private readonly pending = new Map<string, string>(); // key -> labSessionId
  private readonly o: Required<Omit<TerminalManagerOptions, "recorder" | "log" | "probe">> & TerminalManagerOptions;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly pongs = new WeakSet<WebSocket>();
  private closedAll = false;
  /** Count of ptys ever spawned (tests check that refused upgrades spawn nothing). */
  spawned = 0;

  constructor(opts: TerminalManagerOptions) {
    this.o = {
      ...TERMINAL_DEFAULTS,
      highWatermark: HIGH_WATERMARK,
      lowWatermark: LOW_WATERMARK,
      ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
      resolver: opts.resolver,
    };
    this.heartbeat = setInterval(() => this.checkHeartbeats(), this.o.heartbeatMs);
    this.heartbeat.unref();
  }

  /**
   * Everything that can refuse a terminal, done before the WebSocket upgrade so a refusal is a
   * plain HTTP status and no process is started: authorization (resolver), caps, and resolving what
   * to spawn. Throws the lib/errors classes.
   */
  async admit(grant: TerminalGrant, size: { cols: number; rows: number } = { cols: 80, rows: 24 }): Promise<Admission> {
    if (this.closedAll) throw new ConflictError("The server is shutting down.");
    const key = keyOf(grant);
    const existing = this.terminals.get(key);
    if (existing) {
      await this.o.resolver.authorize(grant.userId, grant.labSessionId, grant.node);
      return {
        attach: (ws) => (existing.alive ? this.attachSocket(existing, ws, true) : this.refuseSocket(ws, "The terminal has just ended.")),
        abandon: () => {},
      };
    }
    if (this.pending.has(key)) throw new ConflictError("This terminal is already being opened.", { hint: "Wait a moment and connect again." });
    const inLab = [...this.terminals.values()].filter((t) => t.grant.labSessionId === grant.labSessionId).length +
      [...this.pending.values()].filter((l) => l === grant.labSessionId).length;
    if (inLab >= this.o.maxPerLab) {
      throw new LimitError(`This lab already has ${inLab} terminals open, the most allowed.`, { hint: "Close a terminal tab first." });
    }
    // Each terminal is a process on the server: one learner with many labs must not crowd out a class.
    const ofUser = [...this.terminals.values()].filter((t) => t.grant.userId === grant.userId).length +
      [...this.pending.keys()].filter((k) => k.startsWith(`${grant.userId}\u0000`)).length;
    if (ofUser >= this.o.maxPerUser) {
      throw new LimitError(`You already have ${ofUser} terminals open, the most allowed.`, { hint: "Close a terminal tab, or finish a lab you no longer need." });
    }
    if (this.terminals.size + this.pending.size >= this.o.maxTotal) {
      throw new LimitError("The server has as many terminals open as it allows.", { hint: "Try again in a few minutes." });
    }
    this.pending.set(key, grant.labSessionId);
    let target: TerminalTarget;
    try {
      target = await this.o.resolver.resolve(grant.userId, grant.labSessionId, grant.node);
    } catch (err) {
      this.pending.delete(key);
      throw err;
    }
    let settled = false;
    return {
      attach: (ws) => {
        if (settled) return;
        settled = true;
        this.pending.delete(key);
        if (this.closedAll) {
          target.cleanup?.();
          this.refuseSocket(ws, "The server is shutting down.");
          return;
        }
        let t: Terminal;
        try {
          t = this.spawn(key, grant, target, size);
        } catch (err) {
          this.o.log?.error({ err, node: grant.node, labSessionId: grant.labSessionId }, "could not start a terminal");
          target.cleanup?.();
          this.refuseSocket(ws, "The shell could not be started.");
          return;
        }
        this.attachSocket(t, ws, false);
      },
      abandon: () => {
        if (settled) return;
        settled = true;
        this.pending.delete(key);
        target.cleanup?.();
      },
    };
  }

  private refuseSocket(ws: WebSocket, message: string): void {
    ws.send(encodeServerMessage({ type: "error", message }));
    ws.close(CLOSE.ended, "refused");
  }

  private spawn(key: string, grant: TerminalGrant, target: TerminalTarget, size: { cols: number; rows: number }): Terminal {
    const shell = target.shell;
    const p = pty.spawn(shell.file, shell.args, {
      name: shell.env.TERM ?? "xterm-256color",
      cols: size.cols,
      rows: size.rows,
      cwd: shell.cwd ?? os.homedir(),
      env: shell.env,
      // Raw bytes: no decode/re-encode per chunk, and a UTF-8 character split across reads is the
      // client's (xterm's) problem, which it handles.
      encoding: null,
    });
    this.spawned++;
    let resolveExit: (code: number) => void = () => {};
    const t: Terminal = {
      key,
      grant,
      pty: p,
      input: new PtyInput(p),
      pid: p.pid,
      target,
      ring: new ByteRing(this.o.replayBytes),
      recording: null,
      socket: null,
      unacked: 0,
      paused: false,
      outputBytes: 0,
      detachTimer: null,
      idleTimer: null,
      alive: true,
      exited: new Promise<number>((r) => (resolveExit = r)),
      ending: null,
    };
    try {
      t.recording = this.o.recorder?.start({ labSessionId: grant.labSessionId, node: grant.node, cols: size.cols, rows: size.rows, link: target.linkRecording }) ?? null;
    } catch (err) {
      this.o.log?.error({ err }, "terminal recording could not start; the terminal runs unrecorded");
    }
    this.terminals.set(key, t);
    this.touch(t);
    p.onData((d: string | Buffer) => this.onOutput(t, typeof d === "string" ? Buffer.from(d, "utf8") : d));
    p.onExit(({ exitCode, signal }) => {
      resolveExit(exitCode);
      void this.finish(t, exitCode, signal);
    });
    this.o.log?.info({ pid: p.pid, node: grant.node, labSessionId: grant.labSessionId }, "terminal started");
    return t;
  }

  private onOutput(t: Terminal, data: Buffer): void {
    this.o.probe?.output?.(this.info(t), data, performance.now());
    t.outputBytes += data.byteLength;
    t.ring.push(data);
    t.recording?.output(data);
    const ws = t.socket;
    if (ws && ws.readyState === ws.OPEN) {
      for (const f of outputFrames(data)) ws.send(f);
    }
    // Unacknowledged output counts whether or not a socket is attached: a detached terminal keeps
    // reading until the high watermark (what it read is in the replay ring), then waits.
    t.unacked += data.byteLength;
    if (!t.paused && t.unacked > this.o.highWatermark) this.setPaused(t, true);
  }

  private setPaused(t: Terminal, paused: boolean): void {
    if (t.paused === paused || !t.alive) return;
    t.paused = paused;
    if (paused) t.pty.pause();
    else t.pty.resume();
    this.o.probe?.flow?.(this.info(t), paused);
  }

  private attachSocket(t: Terminal, ws: WebSocket, reattach: boolean): void {
    const previous = t.socket;
    t.socket = ws;
    if (previous && previous !== ws) {
      previous.send(encodeServerMessage({ type: "error", message: "This terminal was opened in another window." }));
      previous.close(CLOSE.replaced, "replaced");
    }
    if (t.detachTimer) {
      clearTimeout(t.detachTimer);
      t.detachTimer = null;
    }
    this.pongs.add(ws);
    ws.on("pong", () => this.pongs.add(ws));
    ws.on("message", (data: RawData, isBinary: boolean) => this.onMessage(t, ws, data, isBinary));
    ws.on("close", () => this.onSocketClose(t, ws));
    ws.on("error", (err) => this.o.log?.debug({ err }, "terminal socket error"));
    // The client resets its screen on every (re)connect; the replay restores what was on it.
    const replay = reattach ? t.ring.contents() : Buffer.alloc(0);
    for (const f of outputFrames(replay)) ws.send(f);
    t.unacked = replay.byteLength;
    if (t.paused && t.unacked < this.o.lowWatermark) this.setPaused(t, false);
    this.o.log?.info({ pid: t.pid, node: t.grant.node, reattach, replayed: replay.byteLength }, "terminal attached");
  }

  private onSocketClose(t: Terminal, ws: WebSocket): void {
    if (t.socket !== ws) return;
    t.socket = null;
    if (!t.alive || t.ending) return;
    t.detachTimer = setTimeout(() => {
      void this.end(t, { code: CLOSE.ended, message: "The terminal was closed after its connection stayed down." });
    }, this.o.detachGraceMs);
    t.detachTimer.unref();
  }

  private onMessage(t: Terminal, ws: WebSocket, raw: RawData, isBinary: boolean): void {
    if (t.socket !== ws || !t.alive) return;
    this.pongs.add(ws); // any traffic proves the peer is there
    try {
      if (!isBinary) throw new ProtocolError("text frames are not part of the protocol");
      const buf = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
      const msg = decodeClientMessage(buf);
      switch (msg.type) {
        case "input": {
          const data = Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength);
          t.input.write(data);
          this.o.probe?.input?.(this.info(t), data, performance.now());
          t.recording?.input(data);
          this.touch(t);
          break;
        }
        case "resize":
          t.pty.resize(msg.cols, msg.rows);
          t.recording?.resize(msg.cols, msg.rows);
          break;
        case "ack":
          t.unacked = Math.max(0, t.unacked - msg.bytes);
          if (t.paused && t.unacked < this.o.lowWatermark) this.setPaused(t, false);
          break;
        case "ping":
          ws.send(encodeServerMessage({ type: "pong", t: msg.t }));
          break;
      }
    } catch (err) {
      const message = err instanceof ProtocolError ? `Protocol error: ${err.message}` : "The terminal could not handle that message.";
      if (!(err instanceof ProtocolError)) this.o.log?.error({ err }, "terminal message failed");
      ws.send(encodeServerMessage({ type: "error", message }));
      ws.close(CLOSE.protocol, "protocol error");
    }
  }

  private touch(t: Terminal): void {
    if (t.idleTimer) clearTimeout(t.idleTimer);
    t.idleTimer = setTimeout(() => {
      void this.end(t, { code: CLOSE.idle, message: `The terminal was closed after ${Math.round(this.o.idleTimeoutMs / 60_000)} minutes without input.` });
    }, this.o.idleTimeoutMs);
    t.idleTimer.unref();
  }

  private checkHeartbeats(): void {
    for (const t of this.terminals.values()) {
      const ws = t.socket;
      if (!ws) continue;
      if (!this.pongs.has(ws)) {
        ws.terminate(); // half-open connection: detach, the grace period starts
        continue;
      }
      this.pongs.delete(ws);
      ws.ping();
    }
  }

  /** Ends one terminal on the server's initiative; resolves when its processes are gone. */
  private async end(t: Terminal, why: { code: number; message: string }): Promise<void> {
    if (!t.alive) return;
    if (!t.ending) {
      t.ending = why;
      const ws = t.socket;
      if (ws && ws.readyState === ws.OPEN) {
        ws.send(encodeServerMessage({ type: "error", message: why.message }));
        ws.close(why.code, "ended");
      }
      t.socket = null;
      this.setPaused(t, false); // a paused pty never sees its hangup
      try {
        t.pty.kill("SIGHUP");
      } catch {
        // already gone
      }
    }
    const exited = await Promise.race([t.exited.then(() => true), sleep(1500).then(() => false)]);
    if (!exited) {
      killSession(t.pid);
      await Promise.race([t.exited, sleep(2000)]);
    }
    // finish() has run if the pty exited; if it never reported, clean up anyway.
    if (t.alive) await this.finish(t, -1, 9);
  }

  private async finish(t: Terminal, code: number, signal: number | undefined): Promise<void> {
    if (!t.alive) return;
    t.alive = false;
    t.input.close();
    this.terminals.delete(t.key);
    if (t.detachTimer) clearTimeout(t.detachTimer);
    if (t.idleTimer) clearTimeout(t.idleTimer);
    // Background jobs (`sleep 999 &`, nohup) keep the dead shell's session id: end them too.
    const leftovers = killSession(t.pid);
    const ws = t.socket;
    t.socket = null;
    if (ws && ws.readyState === ws.OPEN) {
      ws.send(encodeServerMessage({ type: "exit", code, ...(signal ? { reason: `signal ${signal}` } : {}) }));
      ws.close(CLOSE.exited, "exited");
    }
    try {
      t.target.cleanup?.();
    } catch (err) {
      this.o.log?.warn({ err }, "terminal target cleanup failed");
    }
    await t.recording?.close();
    this.o.log?.info({ pid: t.pid, code, signal, leftovers, node: t.grant.node }, "terminal ended");
  }

  /** Kills every terminal of a lab session; resolves when their processes are gone. */
  async closeLab(labSessionId: string, message = "The lab has ended."): Promise<number> {
    const list = [...this.terminals.values()].filter((t) => t.grant.labSessionId === labSessionId);
    await Promise.all(list.map((t) => this.end(t, { code: CLOSE.ended, message })));
    return list.length;
  }

  /** Kills every terminal and refuses new ones (server shutdown). */
  async closeAll(message = "The server is shutting down."): Promise<void> {
    this.closedAll = true;
    clearInterval(this.heartbeat);
    await Promise.all([...this.terminals.values()].map((t) => this.end(t, { code: CLOSE.shutdown, message })));
  }

  list(): TerminalInfo[] {
    return [...this.terminals.values()].map((t) => this.info(t));
  }

  private info(t: Terminal): TerminalInfo {
    return {
      key: t.key,
      userId: t.grant.userId,
      labSessionId: t.grant.labSessionId,
      node: t.grant.node,
      pid: t.pid,
      attached: t.socket !== null,
      paused: t.paused,
      unackedBytes: t.unacked,
      bufferedBytes: t.socket?.bufferedAmount ?? 0,
      outputBytes: t.outputBytes,
    };
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
