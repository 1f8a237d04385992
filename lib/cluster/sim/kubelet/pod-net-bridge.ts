/**
 * The kubelet side of a pod sandbox's network (container-shell/pod-net-agent.ts): a unix socket,
 * bound into one exec's sandbox, that answers the agent's questions with the sim's network model
 * as the pod sees it (its namespace for names, its IP for network policies).
 */
import fs from "node:fs";
import net from "node:net";
import { z } from "zod";
import type { NetView } from "../container-shell/run-plan";
import type { ObjectStore } from "../store/object-store";

const Request = z.discriminatedUnion("op", [
  z.object({ id: z.number(), op: z.literal("hello") }),
  z.object({ id: z.number(), op: z.literal("resolve"), name: z.string().max(255) }),
  z.object({ id: z.number(), op: z.literal("tcp"), ip: z.string().max(64), port: z.number().int().min(0).max(65535) }),
  z.object({ id: z.number(), op: z.literal("http"), ip: z.string().max(64), port: z.number().int().min(0).max(65535), path: z.string().max(8192) }),
]);

/** Ports the agent listens on for every address: the cluster's service and container ports, and the usual ones. */
const COMMON_PORTS = [22, 53, 80, 443, 2379, 3000, 3306, 5000, 5432, 6379, 6443, 8000, 8080, 8443, 9090, 9100, 10250, 27017];
const MAX_PORTS = 256;

export function clusterPorts(store: ObjectStore): number[] {
  const ports = new Set<number>(COMMON_PORTS);
  for (const s of store.list("services").items) {
    for (const p of ((s.spec as { ports?: { port?: number; targetPort?: number | string; nodePort?: number }[] } | undefined)?.ports ?? [])) {
      if (typeof p.port === "number") ports.add(p.port);
      if (typeof p.targetPort === "number") ports.add(p.targetPort);
    }
  }
  for (const pod of store.list("pods").items) {
    for (const c of ((pod.spec as { containers?: { ports?: { containerPort?: number }[] }[] } | undefined)?.containers ?? [])) {
      for (const p of c.ports ?? []) if (typeof p.containerPort === "number") ports.add(p.containerPort);
    }
  }
  return [...ports].filter((p) => p > 0 && p < 65536).slice(0, MAX_PORTS);
}

export interface PodNetBridge {
  socketPath: string;
  close(): void;
}

/**
 * Starts the bridge at `socketPath` for one exec; `close` when the command ended. A unix socket
 * is bound by the time `listen` returns, so the sandbox can start at once.
 */
export function startPodNetBridge(socketPath: string, view: NetView, ports: number[]): PodNetBridge {
  fs.rmSync(socketPath, { force: true });
  const conns = new Set<net.Socket>();
  const server = net.createServer((c) => {
    conns.add(c);
    c.on("close", () => conns.delete(c));
    c.on("error", () => undefined);
    c.setEncoding("utf8");
    let buf = "";
    c.on("data", (d: string) => {
      buf += d;
      if (buf.length > 1 << 20) return c.destroy();
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          continue;
        }
        const r = Request.safeParse(parsed);
        if (!r.success) continue;
        const q = r.data;
        let answer: object;
        if (q.op === "hello") answer = { dns: view.dnsServer, ports };
        else if (q.op === "resolve") {
          const a = view.resolve(q.name);
          answer = a.ok ? { ok: true, ip: a.ip } : { ok: false, error: a.error };
        } else if (q.op === "tcp") answer = { state: view.tcp(q.ip, q.port) };
        else answer = view.http(q.ip, q.port, q.path);
        c.write(`${JSON.stringify({ ...answer, id: q.id })}\n`);
      }
    });
  });
  server.on("error", () => undefined);
  server.listen(socketPath);
  return {
    socketPath,
    close() {
      for (const c of conns) c.destroy();
      server.close();
      fs.rmSync(socketPath, { force: true });
    },
  };
}
