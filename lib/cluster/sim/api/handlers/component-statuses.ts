import { internalError, methodNotAllowed } from "../../store/status-error";
import type { KubeObject } from "../../store/types";
import { sendList, sendObject } from "./object-response";
import { METHOD_NOT_ALLOWED, type RequestScope } from "./request-scope";

/**
 * `GET /api/v1/componentstatuses` (kubectl get cs): computed on every request, never stored, as
 * pkg/registry/core/componentstatus does. The real apiserver GETs
 * https://127.0.0.1:10259/healthz (scheduler) and :10257/healthz (controller-manager) and asks its
 * etcd; here the node model says what listens there and whether etcd answers.
 */

/** A listening TCP socket on the control-plane node. */
export interface ControlPlaneListener {
  host: string;
  port: number;
}

export interface ControlPlaneProbe {
  /** Sockets that listen on the control-plane node now. */
  listeners(): ControlPlaneListener[];
}

const DEPRECATION = '299 - "v1 ComponentStatus is deprecated in v1.19+"';

/** The components the apiserver probes, in the order kubectl prints them on a kubeadm cluster. */
const SERVERS: Array<{ name: string; port?: number }> = [{ name: "scheduler", port: 10259 }, { name: "controller-manager", port: 10257 }, { name: "etcd-0" }];

interface Probe {
  status: "True" | "False" | "Unknown";
  message: string;
  error: string;
}

function reachesLoopback(l: ControlPlaneListener, port: number): boolean {
  return l.port === port && ["::", "0.0.0.0", "127.0.0.1", "*"].includes(l.host);
}

async function probe(scope: RequestScope, server: { name: string; port?: number }): Promise<Probe> {
  const { deps } = scope;
  if (server.port === undefined) {
    const failure = deps.backendFailure();
    if (!failure) return { status: "True", message: "ok", error: "" };
    // The storage prober waits for etcd until its own timeout.
    await new Promise((r) => setTimeout(r, Math.min(failure.delayMs, 20_000)));
    return { status: "False", message: "", error: "error getting data from etcd: context deadline exceeded" };
  }
  const probeSource = deps.controlPlane?.();
  // Without a node model the scheduler and controller-manager run in-process and always answer.
  if (!probeSource || probeSource.listeners().some((l) => reachesLoopback(l, server.port!))) return { status: "True", message: "ok", error: "" };
  const url = `https://127.0.0.1:${server.port}/healthz`;
  return { status: "Unknown", message: "", error: `Get "${url}": dial tcp 127.0.0.1:${server.port}: connect: connection refused` };
}

function componentStatus(name: string, p: Probe): KubeObject {
  return {
    kind: "ComponentStatus",
    apiVersion: "v1",
    metadata: { name },
    conditions: [{ type: "Healthy", status: p.status, ...(p.message ? { message: p.message } : {}), ...(p.error ? { error: p.error } : {}) }],
  };
}

export async function componentStatuses(scope: RequestScope): Promise<void> {
  const { res, method, target } = scope;
  if (method !== "GET") throw methodNotAllowed(METHOD_NOT_ALLOWED);
  res.setHeader("Warning", DEPRECATION);
  if (target.name) {
    const server = SERVERS.find((s) => s.name === target.name);
    if (!server) throw internalError(`Component not found: ${target.name}`);
    return sendObject(scope, 200, componentStatus(server.name, await probe(scope, server)));
  }
  const probes = await Promise.all(SERVERS.map((s) => probe(scope, s)));
  sendList(
    scope,
    SERVERS.map((s, i) => componentStatus(s.name, probes[i]!)),
    scope.deps.store.resourceVersion,
  );
}
