import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

/** A WebSocket path the custom server owns. Every other upgrade goes to Next (HMR in dev). */
export interface UpgradeRoute {
  path: string;
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** Explicit list of owned upgrade paths, filled in by server.ts at start-up. */
export function matchUpgradeRoute(routes: UpgradeRoute[], url: string | undefined): UpgradeRoute | undefined {
  const pathname = new URL(url ?? "/", "http://localhost").pathname;
  return routes.find((r) => r.path === pathname);
}
