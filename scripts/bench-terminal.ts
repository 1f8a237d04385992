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
 * Then the start time of a sim node shell (real bwrap on a real pty, spawn → prompt), in a
 * network namespace of its own with the API forwarder (what learners get) and on the host's
 * network (the baseline), alternating, with `kubectl get nodes` run at the first prompt of the
 * isolated ones, and the forwarder's memory (PSS).
 *
 * Flags: --keys N (keystrokes per terminal, default 200 for 1 and 60 for 50 terminals),
 *        --flood-mb N (for the single terminal; 50 terminals print twice that in all),
 *        --pace-min-ms / --pace-max-ms (pause between one terminal's keystrokes),
 *        --node-shells N (sim node shell starts of each kind, default 10; 0 skips them),
 *        --node-shells-only (just those, without the WebSocket rounds).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { AddressInfo } from "node:net";
import * as pty from "node-pty";
import WebSocket, { WebSocketServer } from "ws";
import { nodeShellSpec, type SandboxNetwork } from "@/lib/cluster/sim/node/node-sandbox";
import { nodeRootDir } from "@/lib/cluster/sim/node/node-layout";
import { sandboxPathsFor } from "@/lib/cluster/sim/node/sim-node-access";
import { startSimCluster } from "@/lib/cluster/sim/sim-cluster";
import { createAsciicastRecorder } from "@/lib/terminal/asciicast-recorder";
import { DEV_LAB_SESSION_ID, DevLocalShellResolver } from "@/lib/terminal/dev-local-shell";
import { ACK_EVERY_BYTES, decodeClientMessage, decodeServerMessage, encodeClientMessage, encodeServerMessage } from "@/lib/terminal/protocol";
import { signTerminalToken } from "@/lib/terminal/terminal-token";
import { startTerminalTestServer } from "@/lib/terminal/terminal-test-kit";
import { forwarderPids } from "@/lib/testing/forwarder-pids";

const self = fileURLToPath(import.meta.url);

async function serve(): Promise<void> {
  const secret = Buffer.from(process.env.BENCH_SECRET ?? "", "hex");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-bench-"));
  // In-server latency: from writing a keystroke into the pty to the next read from that pty,
  // i.e. bash's echo plus the pty, without either WebSocket hop or the client.
  const pendingKeys = new Map<string, number>();
  let inServer: number[] = [];
  const srv = await startTerminalTestServer({
    secret,
    resolver: new DevLocalShellResolver({ devShell: true, mode: "local" }),
    recorder: createAsciicastRecorder({ dataDir }),
    maxPerLab: 100,
    maxTotal: 100,
    probe: {
      input: (t, _d, at) => {
        if (!pendingKeys.has(t.key)) pendingKeys.set(t.key, at);
      },
      output: (t, _d, at) => {
        const since = pendingKeys.get(t.key);
        if (since === undefined) return;
        inServer.push(at - since);
        pendingKeys.delete(t.key);
      },
    },
  });
  // The floor of this machine at this moment: the same frames over the same ws library on
  // loopback, echoed at once, with no pty or shell behind them.
  const echo = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
  echo.on("connection", (ws) =>
    ws.on("message", (d: Buffer) => {
      const m = decodeClientMessage(d);
      if (m.type === "input") ws.send(encodeServerMessage({ type: "output", data: m.data }));
    }),
  );
  await new Promise<void>((resolve) => echo.once("listening", () => resolve()));
  const echoUrl = `ws://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  process.stdout.write(`${JSON.stringify({ url: srv.url, origin: srv.origin, echoUrl })}\n`);
  const stop = async () => {
    echo.close();
    await srv.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  const rl = readline.createInterface({ input: process.stdin });
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  rl.on("line", (cmd) => {
    if (cmd === "reset") {
      inServer = [];
      pendingKeys.clear();
      loopDelay.reset();
      process.stdout.write("ok\n");
    } else if (cmd === "stats") {
      process.stdout.write(`${JSON.stringify({ ...percentiles(inServer), loopP99: loopDelay.percentile(99) / 1e6, loopMax: loopDelay.max / 1e6 })}\n`);
    }
  });
  rl.on("close", () => void stop()); // the parent went away
}

interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return { n: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  return { n: sorted.length, p50: pct(sorted, 50), p95: pct(sorted, 95), p99: pct(sorted, 99), max: sorted.at(-1)! };
}

interface Client {
  ws: WebSocket;
  node: string;
  received: number;
  onOutput: ((text: string) => void) | null;
  tail: string;
}

function connect(url: string, origin: string, secret: Buffer | null, node: string): Promise<Client> {
  const token = secret ? signTerminalToken(secret, { userId: "bench", labSessionId: DEV_LAB_SESSION_ID, node }).token : "";
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
  inServer: Percentiles & { loopP99: number; loopMax: number };
  wsFloor: Percentiles;
  /** Event-loop delay of this (client) process during the typing, ms. */
  clientLoopP99: number;
  floodMB: number;
  floodMBps: number;
  rssIdleMB: number;
  rssPeakMB: number;
}

interface BenchServer {
  url: string;
  origin: string;
  echoUrl: string;
  pid: number;
  ask(cmd: string): Promise<string>;
}

async function round(
  server: BenchServer,
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
  await server.ask("reset");
  const clientLoop = monitorEventLoopDelay({ resolution: 1 });
  clientLoop.enable();
  await Promise.all(clients.map((c) => typeAndMeasure(c, keys, samples, pace)));
  clientLoop.disable();
  const inServer = JSON.parse(await server.ask("stats")) as RoundResult["inServer"];
  await sleep(200);

  // The same typing against the bare echo socket, right after: what loopback + ws cost now.
  const echoes = await Promise.all(clients.map((c) => connect(server.echoUrl, server.origin, null, c.node)));
  const floor: number[] = [];
  await Promise.all(echoes.map((c) => typeAndMeasure(c, keys, floor, pace)));
  for (const c of echoes) c.ws.close();

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
    inServer,
    wsFloor: percentiles(floor),
    clientLoopP99: clientLoop.percentile(99) / 1e6,
    floodMB: floodBytes / 1e6,
    floodMBps: floodBytes / 1e6 / secs,
    rssIdleMB,
    rssPeakMB,
  };
}

interface NodeShellStarts {
  network: SandboxNetwork;
  /** spawn → prompt, ms, sorted. */
  starts: number[];
  /** Isolated shells: spawn → `kubectl get nodes` done at the first prompt, ms, sorted. */
  firstKubectl: number[];
  /** The forwarder's proportional set size (its own memory; the node binary's pages are shared), MB. */
  forwarderPssMB: number[];
}

function pssMb(pid: number): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Opens `n` control-plane shells of each kind on one sim cluster, alternating kinds, one at a time. */
async function benchNodeShellStarts(n: number): Promise<NodeShellStarts[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-bench-shell-"));
  const sim = await startSimCluster({ name: "bench", workers: 0, clusterDir: dir, keyAlgorithm: "ecdsa-p256" });
  const node = { name: "bench-control-plane", role: "control-plane" as const };
  const paths = { ...sandboxPathsFor(dir), root: nodeRootDir(dir, node.name) };
  const results: NodeShellStarts[] = [
    { network: "isolated", starts: [], firstKubectl: [], forwarderPssMB: [] },
    { network: "host", starts: [], firstKubectl: [], forwarderPssMB: [] },
  ];
  try {
    for (let i = 0; i < n; i++) {
      for (const r of results) {
        const spec = nodeShellSpec(node, paths, { network: r.network });
        const t0 = performance.now();
        const term = pty.spawn(spec.file, spec.args, { name: "xterm-256color", cols: 120, rows: 40, env: spec.env });
        let out = "";
        let exited = false;
        term.onData((d) => (out += d));
        term.onExit(() => (exited = true));
        const until = async (what: string, pred: () => boolean) => {
          const end = Date.now() + 30_000;
          while (!pred()) {
            if (exited || Date.now() > end) throw new Error(`node shell (${r.network}): no ${what} (tail ${JSON.stringify(out.slice(-200))})`);
            await sleep(2);
          }
        };
        await until("prompt", () => out.includes(`root@${node.name}:/# `));
        r.starts.push(performance.now() - t0);
        if (r.network === "isolated") {
          term.write(`kubectl get nodes >/dev/null && echo "KUBE""CTL-OK"\r`);
          await until("kubectl answer", () => out.includes("KUBECTL-OK"));
          r.firstKubectl.push(performance.now() - t0);
          for (const pid of forwarderPids(term.pid)) r.forwarderPssMB.push(pssMb(pid));
        }
        term.write("exit\r");
        await until("exit", () => exited).catch(() => term.kill());
      }
    }
  } finally {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  for (const r of results) r.starts.sort((a, b) => a - b);
  for (const r of results) r.firstKubectl.sort((a, b) => a - b);
  return results;
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
    const rl = readline.createInterface({ input: child.stdout! });
    const lines: string[] = [];
    let wake: (() => void) | null = null;
    rl.on("line", (l) => {
      lines.push(l);
      wake?.();
    });
    const nextLine = (what: string) =>
      new Promise<string>((resolve, reject) => {
        const take = () => {
          const l = lines.shift();
          if (l === undefined) return false;
          wake = null;
          clearTimeout(timer);
          resolve(l);
          return true;
        };
        const timer = setTimeout(() => reject(new Error(`bench server did not answer ${what} within 30 s`)), 30_000);
        if (!take()) wake = () => void take();
      });
    child.once("exit", (code) => {
      if (code !== 0) console.error(`bench server exited with ${code}`);
    });
    const { url, origin, echoUrl } = JSON.parse(await nextLine("its address")) as { url: string; origin: string; echoUrl: string };
    const server: BenchServer = {
      url,
      origin,
      echoUrl,
      pid: child.pid!,
      ask: (cmd) => {
        child.stdin!.write(`${cmd}\n`);
        return nextLine(cmd);
      },
    };
    const floodMb = arg("--flood-mb") ?? 20;
    // 80–160 ms between keys is a fast typist (~100 words a minute), for every terminal at once.
    const pace = { min: arg("--pace-min-ms") ?? 80, max: arg("--pace-max-ms") ?? 160 };
    console.log(`terminal benchmark: server pid ${server.pid}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    console.log(`server RSS before any terminal: ${rssMb(server.pid).toFixed(1)} MB`);
    const results: RoundResult[] = [];
    for (const n of process.argv.includes("--node-shells-only") ? [] : [1, 50]) {
      const keys = arg("--keys") ?? (n === 1 ? 200 : 60);
      results.push(await round(server, secret, n, keys, Math.round((floodMb * 1e6) / (n === 1 ? 1 : n / 2)), pace));
    }
    const ms = (p: { p50: number; p95: number; p99: number; max: number }) =>
      `${p.p50.toFixed(2)} / ${p.p95.toFixed(2)} / ${p.p99.toFixed(2)} / ${p.max.toFixed(1)}`;
    console.log("");
    console.log("keystroke → echo, ms (p50 / p95 / p99 / max):");
    for (const r of results) {
      console.log(`  ${String(r.terminals).padStart(2)} terminal(s), ${r.samples} keystrokes`);
      console.log(`     end to end (client → ws → pty → bash → ws → client): ${ms(r)}`);
      console.log(`     inside the server (pty write → pty read):            ${ms(r.inServer)}`);
      console.log(`     floor: same typing on a bare ws echo, same machine:  ${ms(r.wsFloor)}`);
      console.log(
        `     event-loop delay p99 / max: server ${r.inServer.loopP99.toFixed(1)} / ${r.inServer.loopMax.toFixed(1)} ms, clients p99 ${r.clientLoopP99.toFixed(1)} ms`,
      );
    }
    console.log("");
    for (const r of results) {
      console.log(
        `flood, ${r.terminals} terminal(s): ${r.floodMB.toFixed(1)} MB in all at ${r.floodMBps.toFixed(1)} MB/s; server RSS ${r.rssIdleMB.toFixed(0)} MB idle, ${r.rssPeakMB.toFixed(0)} MB peak`,
      );
    }
    console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    const fifty = results.find((r) => r.terminals === 50);
    if (fifty) console.log(`\ntarget p95 ≤ 5 ms with 50 terminals: ${fifty.p95 <= 5 ? "met" : "NOT met"} (p95 ${fifty.p95.toFixed(2)} ms)`);
    const shellStarts = arg("--node-shells") ?? 10;
    const nodeShells = shellStarts > 0 ? await benchNodeShellStarts(shellStarts) : [];
    if (nodeShells.length) {
      console.log(`\nsim node shell start, spawn → prompt, ms (p50 / p95 / max), ${shellStarts} of each, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}:`);
      for (const r of nodeShells) {
        const p = percentiles(r.starts);
        const label = r.network === "isolated" ? "own network namespace + API forwarder" : "host network (baseline)             ";
        console.log(`  ${label}: ${p.p50.toFixed(0)} / ${p.p95.toFixed(0)} / ${p.max.toFixed(0)}`);
        if (r.firstKubectl.length) {
          const k = percentiles(r.firstKubectl);
          const pss = r.forwarderPssMB.reduce((a, b) => a + b, 0) / Math.max(1, r.forwarderPssMB.length);
          console.log(`    spawn → first kubectl get nodes done: ${k.p50.toFixed(0)} / ${k.p95.toFixed(0)} / ${k.max.toFixed(0)}; forwarder PSS ${pss.toFixed(1)} MB`);
        }
      }
    }
    console.log(JSON.stringify({ results, nodeShells }));
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
