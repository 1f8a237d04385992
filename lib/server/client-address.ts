import type { IncomingMessage } from "node:http";

/**
 * The header through which server.ts tells route handlers the peer's address (Next's handlers get a
 * Request without a socket). server.ts overwrites whatever a client sent under this name, so it
 * cannot be spoofed; behind a proxy it is the proxy's address.
 */
export const CLIENT_ADDRESS_HEADER = "x-breakfix-client-address";

/** Called by server.ts on every request before Next sees it. */
export function stampClientAddress(req: IncomingMessage): void {
  req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? "unknown";
}

/** The stamped peer address of a request ("unknown" when it did not come through server.ts). */
export function clientAddressOf(request: Pick<Request, "headers">): string {
  return request.headers.get(CLIENT_ADDRESS_HEADER)?.slice(0, 64) || "unknown";
}
