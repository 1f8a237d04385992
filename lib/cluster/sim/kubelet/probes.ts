/**
 * Probe results against a container's run plan, with the prober's real failure texts:
 * HTTP `Get "http://IP:PORT/path": dial tcp IP:PORT: connect: connection refused`,
 * `HTTP probe failed with statuscode: 404`, TCP `dial tcp IP:PORT: connect: connection refused`,
 * exec: the command's output (e.g. `cat: can't open '/tmp/healthy': No such file or directory`).
 */
import { httpAnswer } from "../container-shell/http-answer";
import type { RunPlan } from "../container-shell/run-plan";
import type { Container, Probe } from "../controllers/api-types";

export interface ProbeTarget {
  podIP: string;
  container: Container;
  plan: RunPlan;
  /** Files that exist in the container now. */
  files: Record<string, string>;
  env: Record<string, string>;
}

export interface ProbeResult {
  ok: boolean;
  message: string;
  /** For the access log of HTTP servers. */
  http?: { path: string; status: number };
}

function portOf(port: number | string, c: Container): number | undefined {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

export function runProbe(p: Probe, t: ProbeTarget): ProbeResult {
  if (p.httpGet) {
    const port = portOf(p.httpGet.port, t.container);
    const path = p.httpGet.path ?? "/";
    const scheme = (p.httpGet.scheme ?? "HTTP").toLowerCase();
    const host = p.httpGet.host ?? t.podIP;
    const url = `${scheme}://${host}:${port ?? p.httpGet.port}${path}`;
    if (port === undefined) return { ok: false, message: `Get "${url}": dial tcp: lookup port ${String(p.httpGet.port)}: unknown port` };
    if (!t.plan.listens.includes(port)) return { ok: false, message: `Get "${url}": dial tcp ${host}:${port}: connect: connection refused` };
    const answer = httpAnswer({ ...t.plan, files: t.files }, path);
    if (!answer) return { ok: false, message: `Get "${url}": EOF` };
    const status = answer.status;
    if (status >= 400) return { ok: false, message: `HTTP probe failed with statuscode: ${status}`, http: { path, status } };
    return { ok: true, message: "", http: { path, status } };
  }
  if (p.tcpSocket) {
    const port = portOf(p.tcpSocket.port, t.container);
    if (port === undefined || !t.plan.listens.includes(port)) {
      return { ok: false, message: `dial tcp ${t.podIP}:${port ?? String(p.tcpSocket.port)}: connect: connection refused` };
    }
    return { ok: true, message: "" };
  }
  if (p.grpc) {
    if (!t.plan.listens.includes(p.grpc.port)) {
      return { ok: false, message: `timeout: failed to connect service "${t.podIP}:${p.grpc.port}" within 1s: context deadline exceeded` };
    }
    return { ok: true, message: "" };
  }
  if (p.exec) return runExecProbe(p.exec.command ?? [], t);
  return { ok: true, message: "" };
}

/**
 * Exec probes: `cat FILE`, `test -f|-e FILE`, `ls FILE`, `true`, `false`, `exit N`, and the same
 * inside `sh -c`. Other commands succeed (documented in docs/sim-fidelity.md).
 */
function runExecProbe(cmd: string[], t: ProbeTarget): ProbeResult {
  let argv = cmd;
  if ((argv[0] === "sh" || argv[0] === "/bin/sh" || argv[0] === "bash") && argv[1] === "-c") argv = (argv[2] ?? "").trim().split(/\s+/);
  const [bin, ...args] = argv;
  switch (bin?.split("/").pop()) {
    case "cat":
    case "ls":
      for (const f of args.filter((a) => !a.startsWith("-"))) {
        if (!(f in t.files)) {
          return { ok: false, message: bin === "ls" ? `ls: ${f}: No such file or directory\n` : `cat: can't open '${f}': No such file or directory\n` };
        }
      }
      return { ok: true, message: "" };
    case "test":
    case "[": {
      const f = args[1];
      return f && f in t.files ? { ok: true, message: "" } : { ok: false, message: "" };
    }
    case "false":
      return { ok: false, message: "" };
    case "exit":
      return Number(args[0] ?? 0) === 0 ? { ok: true, message: "" } : { ok: false, message: "" };
    default:
      return { ok: true, message: "" };
  }
}
