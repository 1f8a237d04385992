import { isIP } from "node:net";
import {
  addMs,
  keyPairError,
  klog,
  parseFlags,
  reaches,
  readInContainer,
  signedBy,
  type ComponentContext,
  type ComponentOutcome,
} from "./component-context";

/**
 * kube-apiserver as started from its manifest. It needs its files (through the k8s-certs mount)
 * and a serving etcd at --etcd-servers that it can authenticate to. Without etcd it does not
 * fail fast: it keeps its port open while requests time out, logs gRPC reconnects, and exits
 * with "context deadline exceeded" — the window in which kubectl prints the Timeout error.
 */

export interface ApiserverOutcome extends ComponentOutcome {
  /** --secure-port */
  port: number;
  /** Node paths of the serving pair and client CA (reloaded by the listener on change). */
  tlsCertFile: string | null;
  tlsKeyFile: string | null;
  clientCaFile: string | null;
  /** When etcd cannot be reached: the port accepts connections but requests time out until the exit. */
  etcdUnreachable: boolean;
}

/** How long a real kube-apiserver keeps trying etcd before "context deadline exceeded". */
export const ETCD_WAIT_MS = 20_000;

const REQUIRED_FILES: Array<[flag: string, prefix: string]> = [
  ["client-ca-file", "unable to load client CA provider"],
  ["service-account-key-file", "failed to parse service-account issuer key file"],
  ["service-account-signing-key-file", "failed to parse service-account issuer key file"],
  ["etcd-cafile", "failed to create etcd client"],
  ["etcd-certfile", "failed to create etcd client"],
  ["etcd-keyfile", "failed to create etcd client"],
];

export function kubeApiserverModel(ctx: ComponentContext): ApiserverOutcome {
  const { flags } = parseFlags(ctx.container.command.slice(1).concat(ctx.container.args));
  const t0 = ctx.now;
  const portRaw = flags.get("secure-port") ?? "6443";
  const port = Number(portRaw);
  const base = { port: Number.isInteger(port) ? port : 6443, tlsCertFile: null, tlsKeyFile: null, clientCaFile: null, etcdUnreachable: false };
  const cobraError = (text: string): ApiserverOutcome => ({
    ...base,
    run: { kind: "exits", afterMs: 500, exitCode: 1, reason: "Error" },
    logs: [`Error: ${text}`],
    listen: [],
  });
  const commandFailed = (err: string, afterMs = 1500): ApiserverOutcome => ({
    ...base,
    run: { kind: "exits", afterMs, exitCode: 1, reason: "Error" },
    logs: [
      klog("I", t0, "options.go:228", "external host was not specified, using " + (flags.get("advertise-address") ?? ctx.node.ip)),
      klog("I", addMs(t0, 5), "server.go:142", "Version: v1.32.2"),
      klog("E", addMs(t0, afterMs - 10), "run.go:72", `"command failed" err="${err.replace(/"/g, '\\"')}"`),
    ],
    listen: [],
  });

  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return cobraError(`invalid argument "${portRaw}" for "--secure-port" flag: strconv.ParseInt: parsing "${portRaw}": invalid syntax`);
  }
  const adv = flags.get("advertise-address");
  if (adv !== undefined && isIP(adv) === 0) return cobraError(`invalid argument "${adv}" for "--advertise-address" flag: failed to parse IP: "${adv}"`);

  const certFile = flags.get("tls-cert-file");
  const keyFile = flags.get("tls-private-key-file");
  if (certFile && keyFile) {
    const cert = readInContainer(ctx, certFile);
    const key = readInContainer(ctx, keyFile);
    if (cert === null) return commandFailed(`open ${certFile}: no such file or directory`);
    if (key === null) return commandFailed(`open ${keyFile}: no such file or directory`);
    const mismatch = keyPairError(cert, key);
    if (mismatch) return commandFailed(mismatch);
  }
  for (const [flag, prefix] of REQUIRED_FILES) {
    const f = flags.get(flag);
    if (f && readInContainer(ctx, f) === null) return commandFailed(`${prefix}: open ${f}: no such file or directory`);
  }

  const serversRaw = flags.get("etcd-servers");
  if (!serversRaw) return commandFailed("[--etcd-servers must be specified]");
  const servers: URL[] = [];
  for (const s of serversRaw.split(",")) {
    try {
      servers.push(new URL(s.trim()));
    } catch {
      return commandFailed(`parse "${s}": invalid URI for request`);
    }
  }
  const reachable = servers.find((u) => {
    const host = u.hostname.replace(/^\[|\]$/g, "");
    const p = Number(u.port || (u.protocol === "https:" ? 443 : 80));
    return ctx.etcd.clientUrls.some((l) => {
      const lu = new URL(l);
      return lu.protocol === u.protocol && reaches(host, p, { host: lu.hostname.replace(/^\[|\]$/g, ""), port: Number(lu.port || 2379) }, ctx.node);
    });
  });
  const first = servers[0]!;
  const firstAddr = `${first.hostname}:${first.port || 2379}`;
  const retry = (at: Date, why: string) =>
    klog(
      "W",
      at,
      "logging.go:55",
      `[core] [Channel #1 SubChannel #2]grpc: addrConn.createTransport failed to connect to {Addr: "${firstAddr}", ServerName: "${first.hostname}", }. Err: connection error: desc = "${why}"`,
    );
  let tlsProblem: string | null = null;
  if (reachable) {
    const etcdCa = flags.get("etcd-cafile") ? readInContainer(ctx, flags.get("etcd-cafile")!) : null;
    const etcdCert = flags.get("etcd-certfile") ? readInContainer(ctx, flags.get("etcd-certfile")!) : null;
    if (reachable.protocol === "https:") {
      if (etcdCa && ctx.etcd.serverCertPem && !signedBy(ctx.etcd.serverCertPem, etcdCa)) {
        tlsProblem = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority";
      } else if (ctx.etcd.trustedCaPem && (!etcdCert || !signedBy(etcdCert, ctx.etcd.trustedCaPem))) {
        tlsProblem = "transport: authentication handshake failed: remote error: tls: bad certificate";
      }
    }
  }
  if (!reachable || tlsProblem) {
    const why = tlsProblem ?? `transport: Error while dialing: dial tcp ${firstAddr}: connect: connection refused`;
    const logs = [
      klog("I", t0, "options.go:228", `external host was not specified, using ${adv ?? ctx.node.ip}`),
      klog("I", addMs(t0, 5), "server.go:142", "Version: v1.32.2"),
      klog("I", addMs(t0, 300), "shared_informer.go:313", 'Waiting for caches to sync for node_authorizer'),
    ];
    for (let ms = 1000; ms < ETCD_WAIT_MS; ms += 3000) logs.push(retry(addMs(t0, ms), why) + " Reconnecting...");
    logs.push(klog("E", addMs(t0, ETCD_WAIT_MS), "run.go:72", '"command failed" err="context deadline exceeded"'));
    return {
      ...base,
      tlsCertFile: certFile ?? null,
      tlsKeyFile: keyFile ?? null,
      clientCaFile: flags.get("client-ca-file") ?? null,
      etcdUnreachable: true,
      run: { kind: "exits", afterMs: ETCD_WAIT_MS, exitCode: 1, reason: "Error" },
      logs,
      listen: [{ host: "0.0.0.0", port }],
    };
  }
  return {
    ...base,
    tlsCertFile: certFile ?? null,
    tlsKeyFile: keyFile ?? null,
    clientCaFile: flags.get("client-ca-file") ?? null,
    run: { kind: "runs" },
    logs: [
      klog("I", t0, "options.go:228", `external host was not specified, using ${adv ?? ctx.node.ip}`),
      klog("I", addMs(t0, 5), "server.go:142", "Version: v1.32.2"),
      klog("I", addMs(t0, 900), "dynamic_serving_content.go:135", `"Loaded a new cert/key pair" name="serving-cert::${certFile}::${keyFile}"`),
      klog("I", addMs(t0, 950), "secure_serving.go:213", `Serving securely on [::]:${port}`),
      klog("I", addMs(t0, 2000), "controller.go:615", "quota admission added evaluator for: leases.coordination.k8s.io"),
    ],
    listen: [{ host: "0.0.0.0", port }],
  };
}
