import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { SimClock } from "../clock";
import type { LogSource } from "../contracts";
import type { ObjectStore } from "../store/object-store";
import { unauthorized } from "../store/status-error";
import { execTarget, handleExecUpgrade, type ExecFn } from "./pod-exec";
import type { BackendFailure, RestApiDeps } from "./handlers/request-scope";
import { sendStatus } from "./handlers/responses";
import { authenticateRequest } from "./rbac/authenticate-request";
import { RestApi } from "./rest-api";

/**
 * The sim cluster's kube-apiserver endpoint: HTTPS on 127.0.0.1 with client-certificate
 * authentication, serving RestApi. The node model (node/) drives it like the real process:
 * listen/close with the static pod, hot-reload of apiserver.crt, and an unreachable etcd.
 */
export interface ApiServerHandle {
  /** Starts serving on 127.0.0.1:port (0 = a free port). Resolves with the bound port. */
  listen(port: number): Promise<number>;
  /** Stops serving: new connections are refused and open ones (watches, logs) are cut. */
  close(): Promise<void>;
  /** Whether the port is currently served. */
  readonly listening: boolean;
  /** The port last bound (kept across close so the apiserver comes back on the same port). */
  readonly port: number;
  /**
   * Calls `fn` each time the port starts or stops being served (node shells' network bridges
   * follow it, so a stopped apiserver is refused inside them too). Returns the unsubscribe.
   */
  onListeningChange(fn: () => void): () => void;
  /** Replaces the serving certificate for new connections, as the apiserver reloads apiserver.crt. */
  setServingCert(certPem: string, keyPem: string): void;
  /** Replaces the CA that client certificates must chain to (--client-ca-file). */
  setClientCa(caPem: string): void;
  /** Makes requests hang then fail with 504, and health checks report etcd failed; null restores. */
  setBackendFailure(failure: BackendFailure | null): void;
  /** The REST layer, for in-process callers (bootstrap, tests). */
  readonly rest: RestApi;
}

export interface ApiServerOptions {
  store: ObjectStore;
  clock: SimClock;
  servingCertPem: string;
  servingKeyPem: string;
  clientCaPem: string;
  gitVersion?: string;
  logs?: () => LogSource | undefined;
  /** Runs `kubectl exec` commands (the kubelets); absent until they run. */
  exec?: () => ExecFn | undefined;
  /** Host shown in discovery's serverAddressByClientCIDRs (the node IP in a real cluster). */
  advertiseAddress?: string;
  /** The key ServiceAccount tokens are signed and verified with (kubeadm's sa.key); absent: bearer tokens get 401. */
  serviceAccountKey?: () => string | null;
  /** The control-plane node's listening sockets, for ComponentStatus; absent without a node side. */
  controlPlane?: RestApiDeps["controlPlane"];
}

export { userFromCertificate } from "./rbac/authenticate-request";

export function createApiServer(opts: ApiServerOptions): ApiServerHandle {
  let tls = { cert: opts.servingCertPem, key: opts.servingKeyPem, ca: opts.clientCaPem };
  let failure: BackendFailure | null = null;
  let port = 0;
  let listening = false;
  const sockets = new Set<Socket>();
  const listeningWatchers = new Set<() => void>();
  const notifyListening = () => {
    for (const fn of listeningWatchers) {
      try {
        fn();
      } catch {
        // One watcher's failure must not keep the others from hearing of the change.
      }
    }
  };
  const rest = new RestApi({
    store: opts.store,
    clock: opts.clock,
    logs: opts.logs,
    serverAddress: () => `${opts.advertiseAddress ?? "127.0.0.1"}:${port}`,
    gitVersion: opts.gitVersion ?? "v1.32.2",
    backendFailure: () => failure,
    serviceAccountKey: () => opts.serviceAccountKey?.() ?? null,
    controlPlane: opts.controlPlane,
  });
  const authn = { store: opts.store, clock: opts.clock, serviceAccountKey: () => opts.serviceAccountKey?.() ?? null };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const user = authenticateRequest(req, authn);
    if (!user) {
      sendStatus(res, unauthorized());
      return;
    }
    void rest.handle(req, res, user);
  };

  const server = https.createServer(
    { cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: true, rejectUnauthorized: false, keepAlive: true },
    onRequest,
  );
  server.keepAliveTimeout = 60_000;
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const user = authenticateRequest(req, authn);
    if (!user) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    if (!execTarget(req.url ?? "/")) {
      socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const denied = rest.authorizeUpgrade(req, user);
    if (denied) {
      const body = JSON.stringify(denied.status);
      socket.end(`HTTP/1.1 ${denied.code} ${denied.code === 403 ? "Forbidden" : "Bad Request"}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    handleExecUpgrade(req, socket, head, opts.exec?.());
  });
  server.on("tlsClientError", () => {
    // A client that rejects our certificate (e.g. an expired one) closes the handshake; nothing to do.
  });

  const applyTls = () => server.setSecureContext({ cert: tls.cert, key: tls.key, ca: tls.ca });

  return {
    rest,
    get listening() {
      return listening;
    },
    get port() {
      return port;
    },
    onListeningChange(fn: () => void) {
      listeningWatchers.add(fn);
      return () => listeningWatchers.delete(fn);
    },
    listen(p: number): Promise<number> {
      if (listening) return Promise.resolve(port);
      return new Promise((resolve, reject) => {
        const onError = (e: Error) => reject(e);
        server.once("error", onError);
        server.listen(p, "127.0.0.1", () => {
          server.off("error", onError);
          const addr = server.address();
          port = typeof addr === "object" && addr ? addr.port : p;
          listening = true;
          notifyListening();
          resolve(port);
        });
      });
    },
    close(): Promise<void> {
      if (!listening) return Promise.resolve();
      listening = false;
      notifyListening();
      return new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        sockets.clear();
      });
    },
    setServingCert(certPem: string, keyPem: string) {
      tls = { ...tls, cert: certPem, key: keyPem };
      applyTls();
    },
    setClientCa(caPem: string) {
      tls = { ...tls, ca: caPem };
      applyTls();
    },
    setBackendFailure(f: BackendFailure | null) {
      failure = f;
    },
  };
}
