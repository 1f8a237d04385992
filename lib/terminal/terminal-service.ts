import { getConfig, type Config } from "@/lib/config";
import { db } from "@/lib/db";
import { logger } from "@/lib/logger";
import { processSingleton } from "@/lib/process-singleton";
import { onShutdown } from "@/lib/server/shutdown";
import type { UpgradeRoute } from "@/lib/server/upgrade-routes";
import { createAsciicastRecorder } from "./asciicast-recorder";
import { DEV_LAB_SESSION_ID, DevLocalShellResolver } from "./dev-local-shell";
import { lookupLabCluster } from "./lab-cluster-lookup";
import { LabSessionTargetResolver, routeTerminalTargets } from "./lab-session-target-resolver";
import { TerminalManager } from "./terminal-manager";
import { loadTerminalSecret } from "./terminal-secret";
import type { TerminalTargetResolver } from "./terminal-target";
import { NonceLedger, signTerminalToken, type TerminalGrant } from "./terminal-token";
import { TERMINAL_WS_PATH, allowedOrigins, createTerminalUpgradeHandler } from "./terminal-upgrade";

export interface TerminalService {
  config: Config;
  resolver: TerminalTargetResolver;
  manager: TerminalManager;
  ledger: NonceLedger;
  secret(): Buffer;
}

function create(): TerminalService {
  const config = getConfig();
  const log = logger.child({ component: "terminal" });
  const resolver = routeTerminalTargets({
    devLabSessionId: DEV_LAB_SESSION_ID,
    dev: new DevLocalShellResolver(config),
    labs: new LabSessionTargetResolver({ prisma: db, clusterFor: lookupLabCluster }),
  });
  const manager = new TerminalManager({
    resolver,
    recorder: createAsciicastRecorder({ dataDir: config.dataDir, prisma: db, log }),
    log,
  });
  onShutdown("terminals", () => manager.closeAll());
  let secret: Buffer | undefined;
  return {
    config,
    resolver,
    manager,
    ledger: new NonceLedger(),
    secret: () => (secret ??= loadTerminalSecret(config)),
  };
}

/**
 * The process's terminals. One per process, shared by server.ts (which owns the WebSocket) and
 * Next's route handlers (tokens, closeLabTerminals), which are separate module graphs.
 */
export function getTerminalService(): TerminalService {
  return processSingleton("terminal-service", create);
}

/** Authorizes and issues a token for one terminal (POST /api/terminal/token). */
export async function issueTerminalToken(grant: TerminalGrant): Promise<{ token: string; expiresAt: number; path: string }> {
  const svc = getTerminalService();
  await svc.resolver.authorize(grant.userId, grant.labSessionId, grant.node);
  const { token, expiresAt } = signTerminalToken(svc.secret(), grant);
  return { token, expiresAt, path: TERMINAL_WS_PATH };
}

/**
 * For lib/labs: kills every terminal of a lab session (finish, abandon, expire, reset) and
 * resolves when their processes are gone. Returns how many there were.
 */
export async function closeLabTerminals(labSessionId: string): Promise<number> {
  return getTerminalService().manager.closeLab(labSessionId);
}

/** server.ts's upgrade route for /api/terminal. */
export function terminalUpgradeRoute(): UpgradeRoute {
  const svc = getTerminalService();
  const handle = createTerminalUpgradeHandler({
    manager: svc.manager,
    secret: svc.secret,
    origins: allowedOrigins(svc.config),
    ledger: svc.ledger,
    log: logger.child({ component: "terminal" }),
  });
  return { path: TERMINAL_WS_PATH, handle };
}
