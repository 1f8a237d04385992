import fs from "node:fs";
import net from "node:net";
import { z } from "zod";
import { logger } from "@/lib/logger";
import type { NodeTool, NodeToolHost } from "./tools/node-tool-host";

/**
 * The per-cluster node agent: a unix socket that the node tools inside node shells talk to.
 * One JSON line in ({tool, argv, env, cwd, node}); JSON lines out ({o}, {e}, then {x}: exit code).
 * Closing the connection (Ctrl-C on `crictl logs -f`) aborts the tool.
 */

const requestSchema = z.object({
  tool: z.string().min(1).max(40),
  argv: z.array(z.string().max(10_000)).max(200),
  env: z.record(z.string(), z.string().max(10_000)),
  cwd: z.string().max(4096),
  node: z.string().min(1).max(253),
});

export type AgentRequest = z.infer<typeof requestSchema>;

export class NodeAgent {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    readonly socketPath: string,
    private readonly hostFor: (node: string) => NodeToolHost | null,
    private readonly tools: Record<string, NodeTool>,
  ) {}

  async listen(): Promise<void> {
    fs.rmSync(this.socketPath, { force: true });
    const server = net.createServer((sock) => this.onConnection(sock));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.socketPath, () => resolve());
    });
    this.server = server;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(this.socketPath, { force: true });
  }

  private onConnection(sock: net.Socket): void {
    this.sockets.add(sock);
    const abort = new AbortController();
    sock.on("close", () => {
      this.sockets.delete(sock);
      abort.abort();
    });
    sock.on("error", () => abort.abort());
    sock.setEncoding("utf8");
    let buf = "";
    const onData = (d: string) => {
      buf += d;
      if (buf.length > 1_000_000) return sock.destroy();
      const i = buf.indexOf("\n");
      if (i < 0) return;
      sock.off("data", onData);
      void this.run(buf.slice(0, i), sock, abort.signal);
    };
    sock.on("data", onData);
  }

  private async run(line: string, sock: net.Socket, signal: AbortSignal): Promise<void> {
    const send = (m: object) => {
      if (!sock.destroyed) sock.write(`${JSON.stringify(m)}\n`);
    };
    let code = 1;
    try {
      const parsed = requestSchema.safeParse(JSON.parse(line) as unknown);
      if (!parsed.success) {
        send({ e: `node agent: bad request: ${parsed.error.issues[0]?.message ?? "invalid"}\n` });
      } else {
        const req = parsed.data;
        const host = this.hostFor(req.node);
        const tool = this.tools[req.tool];
        if (!host) send({ e: `${req.tool}: node ${req.node} is not part of this cluster\n` });
        else if (!tool) send({ e: `${req.tool}: command not emulated on this node\n` });
        else {
          code = await tool(host, { tool: req.tool, argv: req.argv, env: req.env, cwd: req.cwd }, { out: (o) => send({ o }), err: (e) => send({ e }), signal });
        }
      }
    } catch (err) {
      logger.error({ err }, "node agent: tool failed");
      send({ e: `node agent: internal error: ${(err as Error).message}\n` });
    }
    send({ x: code });
    sock.end();
  }
}
