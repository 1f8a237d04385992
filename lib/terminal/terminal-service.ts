import type { Config } from "@/lib/config";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";
import { processSingleton } from "@/lib/process-singleton";
import { onShutdown } from "@/lib/server/shutdown";
import type { UpgradeRoute } from "@/lib/server/upgrade-routes";
import { createAsciicastRecorder } from "./asciicast-recorder";
import { DEV_LAB_SESSION_ID, DevLocalShellResolver } from "./dev-local-shell";
import { LabSessionTargetResolver, routeTerminalTargets, type LabClusterLookup } from "./lab-session-target-resolver";
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

/** What the terminals need from the rest of the house, given by the composition root (lib/server/services.ts). */
export interface TerminalServiceDeps {
  config: Config;
  prisma: () => PrismaClient;
  /** lib/labs answers this: the live cluster of a lab session, or null if it is gone. */
  clusterFor: LabClusterLookup;
}

function create({ config, prisma, clusterFor }: TerminalServiceDeps): TerminalService {
  const log = logger.child({ component: "terminal" });
  const resolver = routeTerminalTargets({
    devLabSessionId: DEV_LAB_SESSION_ID,
    dev: new DevLocalShellResolver(config),
    labs: new LabSessionTargetResolver({ prisma, clusterFor }),
  });
  const manager = new TerminalManager({
    resolver,
    recorder: createAsciicastRecorder({ dataDir: config.dataDir, prisma, log }),
    log,
    maxPerUser: config.maxTerminalsPerUser,
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
 * Next's route handlers (tokens, closing a lab's terminals), which are separate module graphs:
 * whichever asks first builds it, with equivalent deps.
 */
export function getTerminalService(deps: TerminalServiceDeps): TerminalService {
  return processSingleton("terminal-service", () => create(deps));
}

/** Authorizes and issues a token for one terminal (POST /api/terminal/token). */
export async function issueTerminalToken(svc: TerminalService, grant: TerminalGrant): Promise<{ token: string; expiresAt: number; path: string }> {
  await svc.resolver.authorize(grant.userId, grant.labSessionId, grant.node);
  const { token, expiresAt } = signTerminalToken(svc.secret(), grant);
  return { token, expiresAt, path: TERMINAL_WS_PATH };
}

/** server.ts's upgrade route for /api/terminal. */
export function terminalUpgradeRoute(svc: TerminalService): UpgradeRoute {
  const handle = createTerminalUpgradeHandler({
    manager: svc.manager,
    secret: svc.secret,
    origins: allowedOrigins(svc.config),
    ledger: svc.ledger,
    log: logger.child({ component: "terminal" }),
  });
  return { path: TERMINAL_WS_PATH, handle };
}
