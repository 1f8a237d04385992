/**
 * npm run bench:terminal – terminal latency, flood throughput and server memory over loopback.
 *
 * The server runs in a child process (so its RSS is its own): the real upgrade handler, token
 * check, manager, flow control and asciicast recording, with development shells (bash in temp
 * dirs). This process is the clients: real WebSockets speaking the binary protocol.
 *
 * For 1 and then 50 concurrent terminals:
 *   - keystroke → echo: one printable character sent, time until its echo frame arrives; each
 *     terminal types like a fast typist (80–160 ms between keys) while all others do the same;
 *   - flood: every terminal prints a fixed amount of `yes` output at once; aggregate MB/s;
 *   - the server's RSS (VmRSS of the server process; the shells are separate processes).
 *
 * Flags: --keys N (keystrokes per terminal, default 200 for 1 and 60 for 50 terminals),
 *        --flood-mb N (for the single terminal; 50 terminals print twice that in all),
 *        --pace-min-ms / --pace-max-ms (pause between one terminal's keystrokes).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { createAsciicastRecorder } from "@/lib/terminal/asciicast-recorder";
import { DEV_LAB_SESSION_ID, DevLocalShellResolver } from "@/lib/terminal/dev-local-shell";
import { ACK_EVERY_BYTES, decodeServerMessage, encodeClientMessage } from "@/lib/terminal/protocol";
import { signTerminalToken } from "@/lib/terminal/terminal-token";
import { startTerminalTestServer } from "@/lib/terminal/terminal-test-kit";

const self = fileURLToPath(import.meta.url);

async function serve(): Promise<void> {
  const secret = Buffer.from(process.env.BENCH_SECRET ?? "", "hex");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-bench-"));
  const srv = await startTerminalTestServer({
    secret,
    resolver: new DevLocalShellResolver({ devShell: true, mode: "local" }),
    recorder: createAsciicastRecorder({ dataDir }),
    maxPerLab: 100,
    maxTotal: 100,
  });
  process.stdout.write(`${JSON.stringify({ url: srv.url, origin: srv.origin })}\n`);
  const stop = async () => {
    await srv.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.stdin.on("end", () => void stop()); // the parent went away
  process.stdin.resume();
}

interface Client {
  ws: WebSocket;
  node: string;
  received: number;
  onOutput: ((text: string) => void) | null;
  tail: string;
}

function connect(url: string, origin: string, secret: Buffer, node: string): Promise<Client> {
  const token = signTerminalToken(secret, { userId: "bench", labSessionId: DEV_LAB_SESSION_ID, node }).token;
  const ws = new WebSocket(`${url}?token=${encodeURIComponent(token)}&cols=120&rows=40`, { origin, perMessageDeflate: false });
  const c: Client = { ws, node, received: 0, onOutput: null, tail: "" };
  let unacked = 0;
  ws.on("message", (data: Buffer) => {
    const msg = decodeServerMessage(data);
    if (msg.type !== "output") return;
    c.received += msg.data.byteLength;
    unacked += msg.data.byteLength;
    // Ack like the browser does: at once past ACK_EVERY_BYTES, else batched.
    if (unacked >= ACK_EVERY_BYTES) {
      ws.send(encodeClientMessage({ type: "ack", bytes: unacked }));
      unacked = 0;
    } else {
      setImmediate(() => {
        if (unacked > 0 && ws.readyState === WebSocket.OPEN) {
          ws.send(encodeClientMessage({ type: "ack", bytes: unacked }));
          unacked = 0;
        }
      });
    }
    const text = Buffer.from(msg.data).toString("latin1");
    c.tail = (c.tail + text).slice(-200);
    c.onOutput?.(text);
  });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(c));
    ws.once("error", reject);
    ws.once("unexpected-response", (_q, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
  });
}

function waitFor(c: Client, pred: () => boolean, what: string, timeoutMs: number): Promise<void> {
  if (pred()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      c.onOutput = null;
      reject(new Error(`${c.node}: timed out after ${timeoutMs} ms waiting for ${what} (tail ${JSON.stringify(c.tail)})`));
    }, timeoutMs);
    c.onOutput = () => {
      if (pred()) {
        clearTimeout(timer);
        c.onOutput = null;
        resolve();
      }
    };
  });
}

const send = (c: Client, s: string) => c.ws.send(encodeClientMessage({ type: "input", data: Buffer.from(s, "latin1") }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function typeAndMeasure(c: Client, keys: number, out: number[], pace: { min: number; max: number }): Promise<void> {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  for (let i = 0; i < keys; i++) {
    if (i > 0 && i % 50 === 0) {
      send(c, "\x15"); // kill the line so it never wraps; its redraw is not measured
      await sleep(30);
    }
    const ch = letters[i % 26]!;
    const t0 = performance.now();
    const echoed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${c.node}: no echo for ${JSON.stringify(ch)} in 5 s`)), 5_000);
      c.onOutput = (text) => {
        if (text.includes(ch)) {
          clearTimeout(timer);
          c.onOutput = null;
          resolve();
        }
      };
    });
    send(c, ch);
    await echoed;
    out.push(performance.now() - t0);
    await sleep(pace.min + Math.random() * (pace.max - pace.min));
  }
  send(c, "\x15");
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface RoundResult {
  terminals: number;
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  floodMB: number;
  floodMBps: number;
  rssIdleMB: number;
  rssPeakMB: number;
}

async function round(
  server: { url: string; origin: string; pid: number },
  secret: Buffer,
  n: number,
  keys: number,
  floodBytesEach: number,
  pace: { min: number; max: number },
): Promise<RoundResult> {
  const clients = await Promise.all(Array.from({ length: n }, (_, i) => connect(server.url, server.origin, secret, `b${n}-${i}`)));
  await Promise.all(clients.map((c) => waitFor(c, () => c.tail.endsWith(`${c.node}:~$ `), "the prompt", 30_000)));
  const rssIdleMB = rssMb(server.pid);
  let rssPeakMB = rssIdleMB;
  const sampler = setInterval(() => (rssPeakMB = Math.max(rssPeakMB, rssMb(server.pid))), 100);

  const samples: number[] = [];
  await Promise.all(clients.map((c) => typeAndMeasure(c, keys, samples, pace)));
  await sleep(200);

  const before = clients.map((c) => c.received);
  const t0 = performance.now();
  await Promise.all(
    clients.map((c, i) => {
      const done = waitFor(c, () => c.tail.includes("flood-done-1"), "the end of the flood", 300_000);
      send(c, `yes | head -c ${floodBytesEach}; echo flood-done-$((1))\r`);
      return done.then(() => c.received - before[i]!);
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const floodBytes = clients.reduce((sum, c, i) => sum + c.received - before[i]!, 0);
  clearInterval(sampler);
  rssPeakMB = Math.max(rssPeakMB, rssMb(server.pid));

  await Promise.all(
    clients.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.ws.once("close", () => resolve());
          send(c, "exit\r");
        }),
    ),
  );
  samples.sort((a, b) => a - b);
  return {
    terminals: n,
    samples: samples.length,
    p50: pct(samples, 50),
    p95: pct(samples, 95),
    p99: pct(samples, 99),
    max: samples.at(-1)!,
    floodMB: floodBytes / 1e6,
    floodMBps: floodBytes / 1e6 / secs,
    rssIdleMB,
    rssPeakMB,
  };
}

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}

async function main(): Promise<void> {
  const secret = randomBytes(32);
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", self, "--serve"], {
    env: { ...process.env, BENCH_SECRET: secret.toString("hex"), LOG_LEVEL: "silent", NODE_ENV: "production" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const kill = () => child.kill("SIGTERM");
  process.on("exit", kill);
  try {
    const first = await new Promise<string>((resolve, reject) => {
      const rl = readline.createInterface({ input: child.stdout! });
      rl.once("line", resolve);
      child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
      setTimeout(() => reject(new Error("bench server did not start within 30 s")), 30_000).unref();
    });
    const { url, origin } = JSON.parse(first) as { url: string; origin: string };
    const server = { url, origin, pid: child.pid! };
    const floodMb = arg("--flood-mb") ?? 20;
    // 80–160 ms between keys is a fast typist (~100 words a minute), for every terminal at once.
    const pace = { min: arg("--pace-min-ms") ?? 80, max: arg("--pace-max-ms") ?? 160 };
    console.log(`terminal benchmark: server pid ${server.pid}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    console.log(`server RSS before any terminal: ${rssMb(server.pid).toFixed(1)} MB`);
    const results: RoundResult[] = [];
    for (const n of [1, 50]) {
      const keys = arg("--keys") ?? (n === 1 ? 200 : 60);
      results.push(await round(server, secret, n, keys, Math.round((floodMb * 1e6) / (n === 1 ? 1 : n / 2)), pace));
    }
    console.log("");
    console.log("terminals  keystrokes  echo p50   p95      p99      max      flood MB  flood MB/s  server RSS idle/peak");
    for (const r of results) {
      console.log(
        `${String(r.terminals).padStart(9)}  ${String(r.samples).padStart(10)}  ${r.p50.toFixed(2).padStart(6)}ms ${r.p95.toFixed(2).padStart(6)}ms ${r.p99.toFixed(2).padStart(6)}ms ${r.max.toFixed(1).padStart(6)}ms  ${r.floodMB.toFixed(1).padStart(8)}  ${r.floodMBps.toFixed(1).padStart(10)}  ${r.rssIdleMB.toFixed(0)}/${r.rssPeakMB.toFixed(0)} MB`,
      );
    }
    const fifty = results.find((r) => r.terminals === 50)!;
    console.log(`\ntarget p95 ≤ 5 ms with 50 terminals: ${fifty.p95 <= 5 ? "met" : "NOT met"} (p95 ${fifty.p95.toFixed(2)} ms)`);
    console.log(JSON.stringify({ results }));
  } finally {
    kill();
  }
}

if (process.argv.includes("--serve")) {
  void serve();
} else {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
