import { STATUS_CODES, createServer } from "node:http";
import next from "next";
import { ConfigError, getConfig } from "@/lib/config";
import { services } from "@/lib/server/services";
import { startExamHousekeeping } from "@/lib/exams/start-exam-housekeeping";
import { startLabHousekeeping } from "@/lib/labs/start-lab-housekeeping";
import { logger } from "@/lib/logger";
import { migrateDatabase } from "@/lib/server/migrate-database";
import { runShutdownHooks } from "@/lib/server/shutdown";
import { stampClientAddress } from "@/lib/server/client-address";
import { checkRequest } from "@/lib/server/request-guard";
import { matchUpgradeRoute, type UpgradeRoute } from "@/lib/server/upgrade-routes";
import { terminalUpgradeRoute } from "@/lib/terminal/terminal-service";

async function main(): Promise<void> {
  let config;
  try {
    config = getConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  await migrateDatabase(config.databaseUrl);

  const dev = config.nodeEnv !== "production";
  const app = next({ dev, hostname: config.host, port: config.port });
  await app.prepare();
  // Live labs get their clusters back before the first request; idle ones expire from here on.
  await startLabHousekeeping(services().labs);
  // Then exams: attempts whose time ran out while the server was down are graded now.
  await startExamHousekeeping(services().exams);
  const handle = app.getRequestHandler();
  const nextUpgrade = app.getUpgradeHandler();

  // The WebSocket paths this server owns; each subsystem adds its route here explicitly.
  const upgradeRoutes: UpgradeRoute[] = [terminalUpgradeRoute(services().terminals)];

  const server = createServer((req, res) => {
    const refused = checkRequest(req, config);
    if (refused) {
      res.writeHead(refused.status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(refused.body));
      return;
    }
    stampClientAddress(req);
    handle(req, res).catch((err: unknown) => {
      logger.error({ err, url: req.url }, "request failed");
      if (!res.headersSent) res.writeHead(500).end("Internal Server Error");
    });
  });

  server.on("upgrade", (req, socket, head) => {
    const refused = checkRequest(req, config);
    if (refused) {
      const text = JSON.stringify(refused.body);
      socket.end(`HTTP/1.1 ${refused.status} ${STATUS_CODES[refused.status]}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
      return;
    }
    const route = matchUpgradeRoute(upgradeRoutes, req.url);
    if (route) {
      route.handle(req, socket, head);
      return;
    }
    nextUpgrade(req, socket, head).catch((err: unknown) => {
      logger.error({ err, url: req.url }, "upgrade failed");
      socket.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, resolve);
  });
  logger.info({ url: `http://${config.host}:${config.port}`, mode: config.mode, dev }, "breakfix is listening");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.close();
    server.closeAllConnections();
    await runShutdownHooks();
    await app.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err: unknown) => {
  logger.fatal({ err }, "breakfix failed to start");
  process.exit(1);
});
