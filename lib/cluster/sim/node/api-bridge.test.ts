import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ApiBridge, type ApiEndpointWatch } from "./api-bridge";

/** A stand-in API endpoint: a real TCP listener on the host's loopback that can stop and start. */
class Endpoint implements ApiEndpointWatch {
  port = 0;
  listening = false;
  private server: net.Server | null = null;
  private readonly fns = new Set<() => void>();
  onListeningChange(fn: () => void) {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  }
  async start(): Promise<void> {
    const server = net.createServer((s) => s.on("data", (d) => s.write(`echo:${d.toString()}`)));
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
    this.listening = true;
    for (const fn of this.fns) fn();
  }
  async stop(): Promise<void> {
    this.listening = false;
    for (const fn of this.fns) fn();
    const s = this.server;
    this.server = null;
    await new Promise<void>((resolve) => s?.close(() => resolve()) ?? resolve());
  }
}

const dirs: string[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function bridgeFor(endpoint: Endpoint): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-bridge-"));
  dirs.push(dir);
  const sock = path.join(dir, "api-bridge.sock");
  const bridge = new ApiBridge(sock, endpoint);
  await bridge.listen();
  cleanups.push(() => bridge.close());
  return sock;
}

function lines(sock: net.Socket): { next(): Promise<unknown> } {
  let buf = "";
  const queue: unknown[] = [];
  const waiters: Array<(v: unknown) => void> = [];
  sock.setEncoding("utf8");
  sock.on("data", (d: string) => {
    buf += d;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const v: unknown = JSON.parse(buf.slice(0, i));
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(v);
      else queue.push(v);
    }
  });
  return { next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiters.push(resolve))) };
}

describe("API bridge (host side of a node shell's network namespace)", () => {
  it("tells a watcher the API's port and state at once and again on every stop and start", async () => {
    const api = new Endpoint();
    await api.start();
    const sock = await bridgeFor(api);
    const w = net.connect(sock);
    cleanups.push(() => void w.destroy());
    w.write("W");
    const got = lines(w);
    expect(await got.next()).toEqual({ port: api.port, listening: true });
    await api.stop();
    expect(await got.next()).toEqual({ port: api.port, listening: false });
    await api.start();
    expect(await got.next()).toEqual({ port: api.port, listening: true });
  });

  it("relays a connection to the API's port byte for byte, including what came with the op byte", async () => {
    const api = new Endpoint();
    await api.start();
    const sock = await bridgeFor(api);
    const c = net.connect(sock);
    cleanups.push(() => void c.destroy());
    c.write("Chello");
    const reply = await new Promise<string>((resolve) => c.once("data", (d) => resolve(d.toString())));
    expect(reply).toBe("echo:hello");
  });

  it("closes the relayed connection when the API refuses it, and drops unknown ops", async () => {
    const api = new Endpoint();
    await api.start();
    await api.stop();
    const sock = await bridgeFor(api);
    for (const op of ["C", "X"]) {
      const c = net.connect(sock);
      c.on("error", () => {});
      c.write(op);
      await new Promise<void>((resolve) => c.once("close", () => resolve()));
      expect(c.bytesRead).toBe(0);
    }
  });
});
