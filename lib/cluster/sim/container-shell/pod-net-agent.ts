/**
 * The cluster network as a pod's exec sandbox sees it. The sandbox has a network namespace of
 * its own with only `lo`; this agent (run by the host's node, inside the sandbox, as the parent of
 * the exec'd command) makes every IPv4 address local (`ip route add local 0.0.0.0/0 dev lo`),
 * answers DNS on the cluster DNS address and accepts TCP on the ports the cluster knows, and asks
 * the kubelet side over a unix socket (pod-net-bridge.ts) what the sim's network model says:
 * the name's address or NXDOMAIN (no answer at all while CoreDNS is down), whether ip:port is
 * open, refused (reset) or silent, and each HTTP request's status and body. So busybox's own
 * `nslookup`, `wget`, `nc` and `ping` print exactly what they print on a real cluster.
 *
 * Protocol on the socket: one JSON object a line each way, answers carrying the request's `id`.
 */
export const POD_NET_AGENT_JS = String.raw`"use strict";
const net = require("node:net");
const dgram = require("node:dgram");
const cp = require("node:child_process");

const argv = process.argv.slice(2);
for (const s of ["SIGINT", "SIGQUIT", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGPIPE"]) process.on(s, () => {});

let seq = 1;
const waiting = new Map();
let buf = "";
const bridge = net.createConnection("/run/breakfix/net.sock");
bridge.setEncoding("utf8");
bridge.on("data", (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf("\n")) >= 0) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    let m;
    try { m = JSON.parse(line); } catch { continue; }
    const w = waiting.get(m.id);
    if (w) { waiting.delete(m.id); w(m); }
  }
});
bridge.on("error", () => {});
function ask(req) {
  return new Promise((resolve) => {
    const id = seq++;
    waiting.set(id, resolve);
    bridge.write(JSON.stringify({ ...req, id }) + "\n");
  });
}

function ip(args) { return cp.spawnSync("/bin/busybox", ["ip", ...args], { stdio: "ignore" }); }

function dnsAnswer(q, m) {
  const id = q.readUInt16BE(0);
  const rd = q[2] & 1;
  let o = 12;
  const labels = [];
  while (o < q.length && q[o] !== 0) { const n = q[o]; labels.push(q.subarray(o + 1, o + 1 + n).toString("latin1")); o += n + 1; }
  const qEnd = o + 5;
  const qtype = q.readUInt16BE(o + 1);
  return { id, rd, name: labels.join("."), qtype, question: q.subarray(12, qEnd) };
}

function dnsReply(p, rcode, addr) {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(p.id, 0);
  head[2] = 0x84 | p.rd; // QR, AA (CoreDNS is authoritative for cluster.local)
  head[3] = 0x80 | rcode; // RA
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(addr ? 1 : 0, 6);
  const parts = [head, p.question];
  if (addr) {
    const a = Buffer.alloc(16);
    a.writeUInt16BE(0xc00c, 0); a.writeUInt16BE(1, 2); a.writeUInt16BE(1, 4); a.writeUInt32BE(5, 6); a.writeUInt16BE(4, 10);
    addr.split(".").forEach((x, i) => (a[12 + i] = Number(x)));
    parts.push(a);
  }
  return Buffer.concat(parts);
}

const REASONS = { 200: "OK", 301: "Moved Permanently", 302: "Found", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable" };

function serveTcp(c) {
  c.on("error", () => {});
  c.pause();
  const dst = c.localAddress.replace(/^::ffff:/, "");
  const port = c.localPort;
  ask({ op: "tcp", ip: dst, port }).then((r) => {
    if (r.state === "refused") return c.resetAndDestroy();
    if (r.state === "timeout") return setTimeout(() => c.destroy(), 300000).unref();
    let head = "";
    c.setEncoding("latin1");
    c.on("data", (d) => {
      if (head === null) return;
      head += d;
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r\n/.exec(head);
      head = null;
      if (!m) return;
      ask({ op: "http", ip: dst, port, path: m[2] }).then((h) => {
        if (!h.ok) return h.error === "timeout" ? undefined : c.resetAndDestroy();
        const body = Buffer.from(h.body, "utf8");
        c.end("HTTP/1.1 " + h.status + " " + (REASONS[h.status] || "") + "\r\nContent-Type: text/html\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n" + (m[1] === "HEAD" ? "" : body.toString("latin1")), "latin1");
      });
    });
    c.resume();
  });
}

ask({ op: "hello" }).then((hello) => {
  ip(["route", "add", "local", "0.0.0.0/0", "dev", "lo"]);
  const pending = [];
  const dns = dgram.createSocket("udp4");
  dns.on("error", () => {});
  dns.on("message", (q, rinfo) => {
    let p;
    try { p = dnsAnswer(q); } catch { return; }
    ask({ op: "resolve", name: p.name }).then((r) => {
      if (!r.ok && r.error === "no-dns") return; // CoreDNS unreachable: no answer, the client times out
      const reply = r.ok ? dnsReply(p, 0, p.qtype === 1 ? r.ip : null) : dnsReply(p, 3, null);
      dns.send(reply, rinfo.port, rinfo.address);
    });
  });
  pending.push(new Promise((res) => dns.bind(53, hello.dns, res)));
  for (const port of hello.ports) {
    const s = net.createServer({ pauseOnConnect: true }, serveTcp);
    s.on("error", () => {});
    pending.push(new Promise((res) => { s.once("error", res); s.listen(port, "0.0.0.0", res); }));
  }
  Promise.all(pending).then(() => {
    const child = cp.spawn(argv[0], argv.slice(1), { stdio: "inherit" });
    child.on("error", (e) => { process.stderr.write(String(e.message) + "\n"); process.exit(126); });
    child.on("exit", (code, sig) => process.exit(code === null ? 128 + (require("node:os").constants.signals[sig] || 9) : code));
  });
});
`;
