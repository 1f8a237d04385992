import fs from "node:fs";
import net from "node:net";

/**
 * The host half of the bridge that lets a node shell, which has a network namespace of its own
 * (only `lo`), reach its own cluster's API server and nothing else. It is a unix socket in the
 * cluster dir, bind-mounted into every node shell; the forwarder inside (api-forwarder.ts) is
 * its only intended client. The first byte of a connection says what it is:
 *
 * - `W` (watch): the bridge writes one JSON line `{"port":N,"listening":bool}` now and another on
 *   every change, so the forwarder listens on 127.0.0.1:N inside the namespace only while the API
 *   does on the host: a stopped apiserver is "connection refused" inside too, as on a real node.
 * - `C` (connect): the rest of the connection is relayed, byte for byte, to 127.0.0.1:<API port>
 *   on the host. TLS runs end to end between kubectl and the API server, so the certificate, its
 *   SANs and client-certificate authentication are the API's own.
 *
 * The port comes from the API, never from the client, so a shell holding this socket reaches
 * exactly one host port: its own cluster's API.
 */

/** What the bridge needs of the API server (ApiServerHandle has it). */
export interface ApiEndpointWatch {
  readonly port: number;
  readonly listening: boolean;
  onListeningChange(fn: () => void): () => void;
}

export const BRIDGE_OP_WATCH = 0x57; // "W"
export const BRIDGE_OP_CONNECT = 0x43; // "C"

export class ApiBridge {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly watchers = new Set<net.Socket>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    readonly socketPath: string,
    private readonly api: ApiEndpointWatch,
    /** Where the API listens on the host (the sim API binds 127.0.0.1 only). */
    private readonly host = "127.0.0.1",
  ) {}

  async listen(): Promise<void> {
    fs.rmSync(this.socketPath, { force: true });
    const server = net.createServer((sock) => this.onConnection(sock));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.socketPath, () => resolve());
    });
    this.server = server;
    this.unsubscribe = this.api.onListeningChange(() => {
      const line = this.stateLine();
      for (const w of this.watchers) w.write(line);
    });
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(this.socketPath, { force: true });
  }

  private stateLine(): string {
    return `${JSON.stringify({ port: this.api.port, listening: this.api.listening })}\n`;
  }

  private onConnection(sock: net.Socket): void {
    this.sockets.add(sock);
    sock.on("close", () => {
      this.sockets.delete(sock);
      this.watchers.delete(sock);
    });
    sock.on("error", () => sock.destroy());
    sock.once("data", (first: Buffer) => {
      const op = first[0];
      const rest = first.subarray(1);
      if (op === BRIDGE_OP_WATCH) {
        this.watchers.add(sock);
        sock.write(this.stateLine());
        // A watcher only listens; whatever else it sends is ignored.
        sock.on("data", () => {});
        return;
      }
      if (op !== BRIDGE_OP_CONNECT) return void sock.destroy();
      sock.pause();
      const upstream = net.connect({ host: this.host, port: this.api.port });
      this.sockets.add(upstream);
      upstream.on("close", () => this.sockets.delete(upstream));
      // Refused or cut upstream: cut the shell's side too (the forwarder resets its client).
      upstream.on("error", () => sock.destroy());
      sock.on("close", () => upstream.destroy());
      upstream.once("connect", () => {
        if (rest.length) upstream.write(rest);
        sock.pipe(upstream);
        upstream.pipe(sock);
        sock.resume();
      });
    });
  }
}
