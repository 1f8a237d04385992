import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { KEY_POOL_TARGET, refillKeyPool, setKeyPoolDir } from "../pki/key-pool";
import { startSimCluster, type SimCluster } from "../sim-cluster";
import { simHostSocket, writeSimState } from "./sim-state";

/**
 * The shared host: many sim clusters in one process (the driver's `processModel: "shared-host"`).
 * It saves the ~40 MB that every Node process costs, at the price of isolation: a crash of the
 * host ends all its clusters (never the breakfix server). Each cluster keeps its own state dir,
 * kubeconfig and node files, so attach/list/exec work the same as with one process per cluster.
 * argv: --root <dataDir>/sim. Control socket: POST /clusters?name&workers&keyAlgorithm,
 * DELETE /clusters/<name>, GET /status. The host exits when its last cluster is deleted.
 */

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const root = arg("root");
  if (!root) {
    console.error("usage: sim-host --root DIR");
    process.exit(2);
  }
  const socket = simHostSocket(root);
  setKeyPoolDir(path.join(root, ".keys"));
  fs.rmSync(socket, { force: true });
  const clusters = new Map<string, SimCluster>();
  const starting = new Set<string>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://host");
    const reply = (code: number, body?: unknown) => {
      res.writeHead(code, { "Content-Type": "application/json" });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    if (req.method === "GET" && url.pathname === "/status") {
      const m = process.memoryUsage();
      return reply(200, { pid: process.pid, clusters: [...clusters.keys()], rss: m.rss, heapUsed: m.heapUsed });
    }
    if (req.method === "POST" && url.pathname === "/clusters") {
      const name = url.searchParams.get("name") ?? "";
      const workers = Number(url.searchParams.get("workers") ?? "1");
      const keyAlgorithm = url.searchParams.get("keyAlgorithm") === "ecdsa-p256" ? "ecdsa-p256" : "rsa-2048";
      const timeScale = Number(url.searchParams.get("timeScale") ?? "1");
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || !Number.isInteger(workers)) return reply(400, { error: "bad name or workers" });
      if (!(timeScale >= 1 && timeScale <= 100)) return reply(400, { error: "timeScale must be from 1 to 100" });
      if (clusters.has(name) || starting.has(name)) return reply(409, { error: `cluster ${name} exists` });
      starting.add(name);
      const dir = path.join(root, name);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      startSimCluster({ name, workers, clusterDir: dir, keyAlgorithm, timeScale })
        .then((c) => {
          clusters.set(name, c);
          const kubeconfigPath = path.join(dir, "kubeconfig");
          fs.writeFileSync(kubeconfigPath, c.kubeconfig(), { mode: 0o600 });
          const state = {
            name,
            pid: process.pid,
            port: c.port,
            workers,
            nodes: c.nodes.map((n) => ({ name: n.name, role: n.role })),
            kubeconfigPath,
            controlSocket: socket,
            startedAt: new Date().toISOString(),
            hosted: true,
            timeScale: c.clock.timeScale,
            clockStart: c.clock.start,
          };
          writeSimState(dir, state);
          reply(201, state);
          if (keyAlgorithm === "rsa-2048") void refillKeyPool(KEY_POOL_TARGET);
        })
        .catch((e: unknown) => reply(500, { error: e instanceof Error ? e.message : String(e) }))
        .finally(() => starting.delete(name));
      return;
    }
    const del = /^\/clusters\/([a-z0-9-]+)$/.exec(url.pathname);
    if (req.method === "DELETE" && del) {
      const name = del[1]!;
      const c = clusters.get(name);
      clusters.delete(name);
      void (async () => {
        await c?.stop().catch(() => undefined);
        try {
          fs.rmSync(path.join(root, name), { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
          reply(204);
        } catch (e) {
          reply(500, { error: e instanceof Error ? e.message : String(e) });
        }
        // Re-checked when the timer fires: a create may have arrived in between.
        if (!clusters.size && !starting.size) setTimeout(() => !clusters.size && !starting.size && void shutdown(), 100);
      })();
      return;
    }
    reply(404, { error: "not found" });
  });

  const shutdown = async () => {
    // Stop taking requests first, so a create racing the exit fails fast and the driver respawns.
    server.close();
    fs.rmSync(path.join(root, "host.json"), { force: true });
    for (const c of clusters.values()) await c.stop().catch(() => undefined);
    fs.rmSync(socket, { force: true });
    process.exit(0);
  };
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  fs.writeFileSync(path.join(root, "host.json"), JSON.stringify({ pid: process.pid, socket }));
  process.on("SIGTERM", () => void shutdown());
  process.on("SIGINT", () => void shutdown());
  process.on("uncaughtException", (e) => console.error(`sim host: uncaught: ${e.stack ?? e.message}`));
  process.on("unhandledRejection", (e) => console.error(`sim host: unhandled rejection: ${String(e)}`));
  console.log(`sim host serving on ${socket}`);
}

main().catch((e: unknown) => {
  console.error(`sim host failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
