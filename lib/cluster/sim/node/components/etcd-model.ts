import {
  addMs,
  canBind,
  hostPathOf,
  keyPairError,
  parseFlags,
  readInContainer,
  type ComponentContext,
  type ComponentOutcome,
  type ListenSocket,
} from "./component-context";

/**
 * etcd as started from its static-pod manifest. What matters to a learner: where it listens
 * (--listen-client-urls), whether its TLS files are there and match, and where its data lives
 * (--data-dir under the etcd-data hostPath = the cluster's data; anywhere else = a fresh, empty
 * store inside the container, with no error at all).
 */

const KNOWN_FLAGS = new Set([
  "advertise-client-urls",
  "cert-file",
  "client-cert-auth",
  "data-dir",
  "experimental-initial-corrupt-check",
  "experimental-watch-progress-notify-interval",
  "initial-advertise-peer-urls",
  "initial-cluster",
  "initial-cluster-state",
  "initial-cluster-token",
  "key-file",
  "listen-client-urls",
  "listen-metrics-urls",
  "listen-peer-urls",
  "name",
  "peer-cert-file",
  "peer-client-cert-auth",
  "peer-key-file",
  "peer-trusted-ca-file",
  "snapshot-count",
  "trusted-ca-file",
  "log-level",
  "logger",
  "quota-backend-bytes",
  "auto-compaction-retention",
  "auto-compaction-mode",
  "heartbeat-interval",
  "election-timeout",
  "max-request-bytes",
  "cipher-suites",
  "tls-min-version",
]);

export interface EtcdOutcome extends ComponentOutcome {
  /** URLs clients can reach, when it serves. */
  clientUrls: string[];
  /**
   * Where the data lives: the node path of the data dir when it sits under a hostPath mount,
   * or null when it is inside the container (a fresh store every start).
   */
  dataDirNodePath: string | null;
  /** True when etcd found no member data and started a new, empty cluster. */
  freshStore: boolean;
  trustedCaPem: string | null;
  serverCertPem: string | null;
}

function jsonLog(at: Date, level: "info" | "warn" | "fatal", caller: string, msg: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ level, ts: at.toISOString().replace("Z", "000Z"), caller, msg, ...extra });
}

function parseUrls(raw: string | undefined): { urls: URL[]; error: string | null } {
  if (!raw) return { urls: [], error: null };
  const urls: URL[] = [];
  for (const u of raw.split(",").map((s) => s.trim()).filter(Boolean)) {
    try {
      urls.push(new URL(u));
    } catch {
      return { urls: [], error: `parse "${u}": invalid URI for request` };
    }
  }
  return { urls, error: null };
}

const hostOf = (u: URL) => u.hostname.replace(/^\[|\]$/g, "");

export function etcdModel(ctx: ComponentContext): EtcdOutcome {
  const { flags } = parseFlags(ctx.container.command.slice(1).concat(ctx.container.args));
  const t0 = ctx.now;
  const base = { clientUrls: [], dataDirNodePath: null, freshStore: false, trustedCaPem: null, serverCertPem: null };
  const fail = (msg: string, error: string, exitCode = 1): EtcdOutcome => ({
    ...base,
    run: { kind: "exits", afterMs: 1000, exitCode, reason: "Error" },
    logs: [jsonLog(addMs(t0, 900), "fatal", "etcdmain/etcd.go:204", msg, { error, stacktrace: "go.etcd.io/etcd/server/v3/etcdmain.startEtcdOrProxyV2" })],
    listen: [],
  });
  for (const f of flags.keys()) {
    if (!KNOWN_FLAGS.has(f)) {
      return { ...base, run: { kind: "exits", afterMs: 300, exitCode: 2, reason: "Error" }, logs: [`flag provided but not defined: -${f}`, "Usage:", "", "  etcd [flags]", "    Start an etcd server."], listen: [] };
    }
  }
  const listen = parseUrls(flags.get("listen-client-urls") ?? "http://localhost:2379");
  if (listen.error) return fail("error verifying flags", listen.error, 1);
  const advertise = parseUrls(flags.get("advertise-client-urls"));
  if (advertise.error) return fail("error verifying flags", advertise.error, 1);
  if (flags.has("listen-client-urls") && !flags.has("advertise-client-urls")) {
    return {
      ...base,
      run: { kind: "exits", afterMs: 300, exitCode: 1, reason: "Error" },
      logs: [jsonLog(t0, "fatal", "etcdmain/etcd.go:75", "error verifying flags, --advertise-client-urls is required when --listen-client-urls is set explicitly. See 'etcd --help'.")],
      listen: [],
    };
  }
  for (const u of listen.urls) {
    const h = hostOf(u);
    if (!/^[\d.]+$|:/.test(h)) return fail("discovery failed", `expected IP in URL for binding (${u.href.replace(/\/$/, "")})`);
  }
  // Peer TLS is loaded when the peer listeners are created, before anything else starts: a
  // missing or mismatched peer file makes StartEtcd fail ("discovery failed" in etcdmain).
  const peerTls = parseUrls(flags.get("listen-peer-urls")).urls.some((u) => u.protocol === "https:");
  if (peerTls) {
    const peerCert = flags.get("peer-cert-file");
    const peerKey = flags.get("peer-key-file");
    const peerCa = flags.get("peer-trusted-ca-file");
    if (peerCert && peerKey) {
      for (const f of [peerCert, peerKey, ...(peerCa ? [peerCa] : [])]) {
        if (readInContainer(ctx, f) === null) return fail("discovery failed", `open ${f}: no such file or directory`);
      }
      const mismatch = keyPairError(readInContainer(ctx, peerCert)!, readInContainer(ctx, peerKey)!);
      if (mismatch) return fail("discovery failed", mismatch);
    }
  }
  const certFile = flags.get("cert-file");
  const keyFile = flags.get("key-file");
  const caFile = flags.get("trusted-ca-file");
  const tls = listen.urls.some((u) => u.protocol === "https:");
  let serverCertPem: string | null = null;
  let trustedCaPem: string | null = null;
  if (tls) {
    if (!certFile || !keyFile) return fail("discovery failed", `TLS key/cert (--cert-file, --key-file) must be provided for client url ${listen.urls[0]!.href.replace(/\/$/, "")} with HTTPS scheme`);
    // The client TLS config is built only when the client listeners start serving (serveCtx.serve,
    // after the member is up): a bad client file ends etcd with "listener failed".
    // As captured from etcd 3.5: the member starts, says it is ready, then the fatal line.
    const listenerFailed = (error: string): EtcdOutcome => ({
      ...base,
      run: { kind: "exits", afterMs: 1800, exitCode: 1, reason: "Error" },
      logs: [
        jsonLog(t0, "info", "etcdmain/etcd.go:73", "Running: ", { args: ctx.container.command.concat(ctx.container.args) }),
        ...listen.urls.map(() => jsonLog(addMs(t0, 1700), "info", "embed/serve.go:100", "ready to serve client requests")),
        jsonLog(addMs(t0, 1700), "info", "etcdmain/main.go:44", "notifying init daemon"),
        jsonLog(addMs(t0, 1700), "info", "etcdmain/main.go:50", "successfully notified init daemon"),
        jsonLog(addMs(t0, 1700), "fatal", "etcdmain/etcd.go:219", "listener failed", {
          error,
          stacktrace:
            "go.etcd.io/etcd/server/v3/etcdmain.startEtcdOrProxyV2\n\tgo.etcd.io/etcd/server/v3/etcdmain/etcd.go:219\ngo.etcd.io/etcd/server/v3/etcdmain.Main\n\tgo.etcd.io/etcd/server/v3/etcdmain/main.go:40\nmain.main\n\tgo.etcd.io/etcd/server/v3/main.go:32\nruntime.main\n\truntime/proc.go:255",
        }),
      ],
      listen: [],
    });
    for (const f of [certFile, keyFile, ...(caFile ? [caFile] : [])]) {
      if (readInContainer(ctx, f) === null) return listenerFailed(`open ${f}: no such file or directory`);
    }
    serverCertPem = readInContainer(ctx, certFile)!;
    const mismatch = keyPairError(serverCertPem, readInContainer(ctx, keyFile)!);
    if (mismatch) return listenerFailed(mismatch);
    trustedCaPem = caFile ? readInContainer(ctx, caFile) : null;
  }
  const sockets: ListenSocket[] = [];
  for (const u of listen.urls) {
    const h = hostOf(u);
    if (!canBind(h, ctx.node)) return fail("discovery failed", `listen tcp ${h}:${u.port}: bind: cannot assign requested address`);
    sockets.push({ host: h, port: Number(u.port || 2379) });
  }
  for (const key of ["listen-peer-urls", "listen-metrics-urls"]) {
    for (const u of parseUrls(flags.get(key)).urls) sockets.push({ host: hostOf(u), port: Number(u.port) });
  }
  const dataDir = flags.get("data-dir") ?? `${flags.get("name") ?? "default"}.etcd`;
  const dataDirNodePath = dataDir.startsWith("/") ? hostPathOf(dataDir, ctx.container.volumeMounts, ctx.volumes) : null;
  const freshStore = dataDirNodePath === null || !ctx.fs.isDir(`${dataDirNodePath}/member`);
  const name = flags.get("name") ?? "default";
  const logs = [
    jsonLog(t0, "info", "etcdmain/etcd.go:73", "Running: ", { args: ctx.container.command.concat(ctx.container.args) }),
    freshStore
      ? jsonLog(addMs(t0, 40), "info", "embed/etcd.go:312", "starting an etcd server", { "data-dir": dataDir, "initial-cluster-state": "new", name })
      : jsonLog(addMs(t0, 40), "info", "etcdmain/etcd.go:116", "server has been already initialized", { "data-dir": dataDir, "dir-type": "member" }),
    ...listen.urls.map((u) => jsonLog(addMs(t0, 60), "info", "embed/etcd.go:140", "configuring client listeners", { "listen-client-urls": [u.href.replace(/\/$/, "")] })),
    jsonLog(addMs(t0, 900), "info", "etcdserver/server.go:2068", "published local member to cluster through raft", { "local-member-attributes": `{Name:${name} ClientURLs:[${advertise.urls.map((u) => u.href.replace(/\/$/, "")).join(" ")}]}` }),
    ...listen.urls.map((u) => jsonLog(addMs(t0, 950), "info", "embed/serve.go:250", "serving client traffic securely", { "traffic": "grpc+http", address: `${hostOf(u)}:${u.port || 2379}` })),
  ];
  return {
    run: { kind: "runs" },
    logs,
    listen: sockets,
    clientUrls: listen.urls.map((u) => u.href.replace(/\/$/, "")),
    dataDirNodePath,
    freshStore,
    trustedCaPem,
    serverCertPem,
  };
}
