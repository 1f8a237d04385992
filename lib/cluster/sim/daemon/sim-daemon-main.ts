import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { KEY_POOL_TARGET, refillKeyPool, setKeyPoolDir } from "../pki/key-pool";
import { startSimCluster } from "../sim-cluster";
import { writeSimState } from "./sim-state";

/**
 * Entry of a sim cluster's own process (one per cluster, started detached by the sim driver),
 * so that kubectl works from any terminal until `down`, the cluster survives a restart of the
 * breakfix server, and a wrecked cluster can take down only itself.
 * argv: --dir DIR --name NAME --workers N [--port P] [--time-scale S] [--key-algorithm rsa-2048|ecdsa-p256]
 */

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const dir = arg("dir");
  const name = arg("name");
  const workers = Number(arg("workers") ?? "1");
  if (!dir || !name || !Number.isInteger(workers)) {
    console.error("usage: sim-daemon --dir DIR --name NAME --workers N [--port P]");
    process.exit(2);
  }
  const keyAlgorithm = arg("key-algorithm") === "ecdsa-p256" ? "ecdsa-p256" : "rsa-2048";
  setKeyPoolDir(path.join(path.dirname(dir), ".keys"));
  const timeScale = Number(arg("time-scale") ?? 1);
  if (!(timeScale >= 1 && timeScale <= 100)) {
    console.error(`--time-scale must be a number from 1 to 100 (got ${arg("time-scale")})`);
    process.exit(2);
  }
  const cluster = await startSimCluster({ name, workers, port: Number(arg("port") ?? 0), timeScale, clusterDir: dir, keyAlgorithm });
  const kubeconfigPath = path.join(dir, "kubeconfig");
  fs.writeFileSync(kubeconfigPath, cluster.kubeconfig(), { mode: 0o600 });

  // The control socket: status and stop. Node tools talk to the node agent, not to this socket.
  const controlSocket = path.join(dir, "control.sock");
  fs.rmSync(controlSocket, { force: true });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await cluster.stop().catch(() => undefined);
    control.close();
    fs.rmSync(controlSocket, { force: true });
    process.exit(code);
  };
  const control = http.createServer((req, res) => {
    if (req.url === "/status") {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ name, port: cluster.port, pid: process.pid, rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed, apiListening: cluster.api.listening }));
      return;
    }
    if (req.url === "/stop" && req.method === "POST") {
      res.writeHead(202);
      res.end();
      void stop(0);
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => control.listen(controlSocket, resolve));

  writeSimState(dir, {
    name,
    pid: process.pid,
    port: cluster.port,
    workers,
    nodes: cluster.nodes.map((n) => ({ name: n.name, role: n.role })),
    kubeconfigPath,
    controlSocket,
    startedAt: new Date().toISOString(),
    timeScale: cluster.clock.timeScale,
    clockStart: cluster.clock.start,
  });
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));
  // A bug in one request must not end the cluster; it is logged to the daemon's log file.
  process.on("uncaughtException", (e) => console.error(`sim daemon: uncaught: ${e.stack ?? e.message}`));
  process.on("unhandledRejection", (e) => console.error(`sim daemon: unhandled rejection: ${String(e)}`));
  console.log(`sim cluster "${name}" serving on https://127.0.0.1:${cluster.port}`);
  // Pre-generate RSA keys for the next cluster's PKI (see pki/key-pool.ts).
  if (keyAlgorithm === "rsa-2048") void refillKeyPool(KEY_POOL_TARGET);
}

main().catch((e: unknown) => {
  console.error(`sim daemon failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
