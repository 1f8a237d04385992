import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Logger } from "@/lib/logger";

/** One terminal's recording. Calls never throw: a full disk must not take the shell down. */
export interface RecordingSink {
  output(data: Buffer): void;
  input(data: Buffer): void;
  resize(cols: number, rows: number): void;
  close(): Promise<void>;
}

export interface RecordingMeta {
  labSessionId: string;
  node: string;
  cols: number;
  rows: number;
  /** Insert a TerminalRecording row for the lab session. */
  link: boolean;
}

export interface TerminalRecorder {
  start(meta: RecordingMeta): RecordingSink;
}

/** Recordings live here, one folder per lab session. */
export function recordingsDir(dataDir: string): string {
  return path.join(dataDir, "recordings");
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 80);

/**
 * asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/): a JSON header line, then one
 * `[seconds, code, data]` line per event: "o" output, "i" input, "r" resize ("COLSxROWS"),
 * "m" marker. Output and input are decoded as UTF-8 with a StringDecoder so a character split
 * across two pty reads is not mangled.
 *
 * Bounded: past maxBytes on disk, or while the file stream is more than maxQueuedBytes behind
 * (a flood on a slow disk), events are dropped and a marker says so; memory never grows with the
 * output.
 */
export class AsciicastWriter implements RecordingSink {
  private readonly stream: fs.WriteStream;
  private readonly started = performance.now();
  private readonly out = new StringDecoder("utf8");
  private readonly in = new StringDecoder("utf8");
  private written = 0;
  private dropping: false | "size" | "backlog" = false;
  private closed = false;

  constructor(
    readonly file: string,
    header: { cols: number; rows: number; title: string },
    private readonly opts: { maxBytes: number; maxQueuedBytes: number; log?: Logger },
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.stream = fs.createWriteStream(file, { flags: "wx", mode: 0o600 });
    this.stream.on("error", (err) => {
      opts.log?.error({ err, file }, "terminal recording failed; recording stops");
      this.closed = true;
    });
    this.line(
      JSON.stringify({
        version: 2,
        width: header.cols,
        height: header.rows,
        timestamp: Math.floor(Date.now() / 1000),
        env: { TERM: "xterm-256color" },
        title: header.title,
      }),
    );
  }

  get bytes(): number {
    return this.written;
  }

  private pending: string[] = [];
  private pendingBytes = 0;
  private flushTimer: NodeJS.Timeout | null = null;

  // Events are batched into one write per 64 KiB or 100 ms: a keystroke is two tiny events, and
  // fifty terminals' worth of one-line fs writes would crowd the threadpool that the ptys share.
  private line(s: string): void {
    const line = `${s}\n`;
    const n = Buffer.byteLength(line, "utf8");
    this.written += n;
    this.pending.push(line);
    this.pendingBytes += n;
    if (this.pendingBytes >= 64 * 1024) this.flush();
    else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flush(), 100);
      this.flushTimer.unref();
    }
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pending.length === 0) return;
    this.stream.write(this.pending.join(""));
    this.pending = [];
    this.pendingBytes = 0;
  }

  private event(code: "o" | "i" | "r" | "m", data: string): void {
    if (this.closed || data.length === 0) return;
    const t = ((performance.now() - this.started) / 1000).toFixed(6);
    if (this.written >= this.opts.maxBytes) {
      if (this.dropping !== "size") {
        this.dropping = "size";
        this.line(`[${t},"m",${JSON.stringify("recording stopped: size limit reached")}]`);
      }
      return;
    }
    if (this.stream.writableLength + this.pendingBytes > this.opts.maxQueuedBytes) {
      if (!this.dropping) this.dropping = "backlog";
      return;
    }
    if (this.dropping === "backlog") {
      this.dropping = false;
      this.line(`[${t},"m",${JSON.stringify("some output was not recorded (disk too slow)")}]`);
    }
    this.line(`[${t},"${code}",${JSON.stringify(data)}]`);
  }

  output(data: Buffer): void {
    this.event("o", this.out.write(data));
  }
  input(data: Buffer): void {
    this.event("i", this.in.write(data));
  }
  resize(cols: number, rows: number): void {
    this.event("r", `${cols}x${rows}`);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.event("o", this.out.end());
    this.flush();
    this.closed = true;
    return new Promise((resolve) => this.stream.end(() => resolve()));
  }
}

/**
 * Writes each terminal to `<data dir>/recordings/<lab session>/<time>-<node>-<rand>.cast` and, for
 * real labs, links it to the LabSession through a TerminalRecording row (path relative to the
 * recordings dir, bytes and end time filled in when the terminal closes).
 */
export function createAsciicastRecorder(deps: {
  dataDir: string;
  prisma?: () => PrismaClient;
  log?: Logger;
  maxBytes?: number;
}): TerminalRecorder {
  const root = recordingsDir(deps.dataDir);
  return {
    start(meta) {
      const rel = path.join(
        safe(meta.labSessionId),
        `${new Date().toISOString().replace(/[:.]/g, "-")}-${safe(meta.node)}-${randomBytes(4).toString("hex")}.cast`,
      );
      const writer = new AsciicastWriter(
        path.join(root, rel),
        { cols: meta.cols, rows: meta.rows, title: `${meta.node} (lab ${meta.labSessionId})` },
        { maxBytes: deps.maxBytes ?? 64 * 1024 * 1024, maxQueuedBytes: 4 * 1024 * 1024, log: deps.log },
      );
      const prisma = meta.link ? deps.prisma?.() : undefined;
      const row = prisma
        ? prisma.terminalRecording
            .create({ data: { labSessionId: meta.labSessionId, node: meta.node, path: rel }, select: { id: true } })
            .catch((err: unknown) => {
              deps.log?.error({ err, labSessionId: meta.labSessionId }, "could not link a terminal recording to its lab session");
              return null;
            })
        : Promise.resolve(null);
      return {
        output: (d) => writer.output(d),
        input: (d) => writer.input(d),
        resize: (c, r) => writer.resize(c, r),
        async close() {
          await writer.close();
          const linked = await row;
          if (linked && prisma) {
            await prisma.terminalRecording
              .update({ where: { id: linked.id }, data: { endedAt: new Date(), bytes: writer.bytes } })
              .catch((err: unknown) => deps.log?.warn({ err }, "could not finish a terminal recording row (lab deleted?)"));
          }
        },
      };
    },
  };
}
