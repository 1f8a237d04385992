import fs from "node:fs";
import { reaches } from "../components/component-context";
import { signedBy } from "../components/component-context";
import { resolveNodePath, type NodeTool, type NodeToolHost } from "./node-tool-host";
import { tabwrite } from "./text-format";

/**
 * etcdctl endpoint health|status against the node's etcd model, with flags or ETCDCTL_* variables
 * (ETCDCTL_ENDPOINTS, ETCDCTL_CACERT, ETCDCTL_CERT, ETCDCTL_KEY). A TLS endpoint needs the client
 * pair that etcd trusts, as the real one does; without it the health check times out.
 */

interface EtcdctlOpts {
  endpoints: string[];
  cacert?: string;
  cert?: string;
  key?: string;
  write: "simple" | "table" | "json";
}

function options(argv: string[], env: Record<string, string>): { opts: EtcdctlOpts; rest: string[] } {
  const opts: EtcdctlOpts = {
    endpoints: (env.ETCDCTL_ENDPOINTS ?? "127.0.0.1:2379").split(",").filter(Boolean),
    cacert: env.ETCDCTL_CACERT,
    cert: env.ETCDCTL_CERT,
    key: env.ETCDCTL_KEY,
    write: (env.ETCDCTL_WRITE_OUT as EtcdctlOpts["write"]) ?? "simple",
  };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--?([a-z-]+)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) {
      rest.push(argv[i]!);
      continue;
    }
    const v = m[2] ?? argv[++i] ?? "";
    if (m[1] === "endpoints") opts.endpoints = v.split(",");
    else if (m[1] === "cacert") opts.cacert = v;
    else if (m[1] === "cert") opts.cert = v;
    else if (m[1] === "key") opts.key = v;
    else if (m[1] === "write-out" || m[1] === "w") opts.write = v as EtcdctlOpts["write"];
  }
  return { opts, rest };
}

type Probe = { ok: true; tookMs: number } | { ok: false; error: string };

function probe(host: NodeToolHost, endpoint: string, opts: EtcdctlOpts, cwd: string): Probe {
  const withScheme = /^[a-z]+:\/\//.test(endpoint) ? endpoint : `http://${endpoint}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, error: `parse "${endpoint}": invalid URI for request` };
  }
  const etcd = host.etcd();
  const hostName = url.hostname;
  const port = Number(url.port || 2379);
  const listening = etcd?.clientUrls.find((u) => {
    const lu = new URL(u);
    return reaches(hostName, port, { host: lu.hostname, port: Number(lu.port || 2379) }, host.node);
  });
  if (!etcd || !listening) return { ok: false, error: "context deadline exceeded" };
  const read = (p?: string) => {
    if (!p) return null;
    try {
      return fs.readFileSync(host.layout.host(resolveNodePath(cwd, p)), "utf8");
    } catch {
      return null;
    }
  };
  if (new URL(listening).protocol === "https:") {
    const ca = read(opts.cacert);
    if (opts.cacert && ca === null) return { ok: false, error: `open ${opts.cacert}: no such file or directory` };
    const cert = read(opts.cert);
    if (opts.cert && cert === null) return { ok: false, error: `open ${opts.cert}: no such file or directory` };
    if (!ca || (etcd.serverCertPem && !signedBy(etcd.serverCertPem, ca))) return { ok: false, error: "context deadline exceeded" };
    if (!cert || (etcd.trustedCaPem && !signedBy(cert, etcd.trustedCaPem))) return { ok: false, error: "context deadline exceeded" };
  }
  return { ok: true, tookMs: 8 + Math.random() * 6 };
}

export const etcdctl: NodeTool = (host, req, io) => {
  const { opts, rest } = options(req.argv, req.env);
  if (rest[0] === "version") {
    io.out("etcdctl version: 3.5.16\nAPI version: 3.5\n");
    return 0;
  }
  if (rest[0] !== "endpoint" || !["health", "status"].includes(rest[1] ?? "")) {
    io.err(`Error: etcdctl ${rest.join(" ")}: only "endpoint health", "endpoint status" and "version" are available on this simulated node\n`);
    return 1;
  }
  const results = opts.endpoints.map((e) => ({ endpoint: e, r: probe(host, e, opts, req.cwd) }));
  const now = host.clock.now().toISOString();
  if (rest[1] === "health") {
    let bad = false;
    for (const { endpoint, r } of results) {
      if (r.ok) io.out(`${endpoint} is healthy: successfully committed proposal: took = ${r.tookMs.toFixed(6)}ms\n`);
      else {
        bad = true;
        io.err(`{"level":"warn","ts":"${now}","logger":"client","caller":"v3@v3.5.16/retry_interceptor.go:63","msg":"retrying of unary invoker failed","target":"etcd-endpoints://0xc000452000/${endpoint}","attempt":0,"error":"rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: connection error: desc = \\"transport: Error while dialing: dial tcp ${endpoint.replace(/^[a-z]+:\/\//, "")}: connect: connection refused\\""}\n`);
        io.err(`${endpoint} is unhealthy: failed to commit proposal: ${r.error}\n`);
      }
    }
    if (bad) io.err("Error: unhealthy cluster\n");
    return bad ? 1 : 0;
  }
  const etcd = host.etcd();
  const rows: string[][] = [];
  let failed = false;
  for (const { endpoint, r } of results) {
    if (!r.ok || !etcd) {
      failed = true;
      io.err(`{"level":"warn","ts":"${now}","logger":"etcd-client","caller":"v3@v3.5.16/retry_interceptor.go:63","msg":"retrying of unary invoker failed","target":"etcd-endpoints://0xc000452000/${endpoint}","attempt":0,"error":"rpc error: code = DeadlineExceeded desc = context deadline exceeded"}\n`);
      io.err(`Failed to get the status of endpoint ${endpoint} (context deadline exceeded)\n`);
      continue;
    }
    const size = `${(etcd.dbSizeBytes / 1e6).toFixed(1)} MB`;
    rows.push([endpoint, "8e9e05c52164694d", "3.5.16", size, "true", "false", "2", String(etcd.revision), String(etcd.revision), ""]);
  }
  if (opts.write === "table") {
    const head = ["ENDPOINT", "ID", "VERSION", "DB SIZE", "IS LEADER", "IS LEARNER", "RAFT TERM", "RAFT INDEX", "RAFT APPLIED INDEX", "ERRORS"];
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)) + 2);
    const line = `+${w.map((n) => "-".repeat(n)).join("+")}+\n`;
    const center = (s: string, n: number) => {
      const left = Math.floor((n - s.length) / 2);
      return " ".repeat(left) + s + " ".repeat(n - s.length - left);
    };
    io.out(line + `|${head.map((h, i) => center(h, w[i]!)).join("|")}|\n` + line + rows.map((r) => `|${r.map((c, i) => ` ${c.padEnd(w[i]! - 2)} `).join("|")}|\n`).join("") + line);
  } else {
    io.out(rows.map((r) => `${r.slice(0, 9).join(", ")}, \n`).join(""));
  }
  void tabwrite;
  return failed ? 1 : 0;
};
