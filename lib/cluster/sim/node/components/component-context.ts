import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import type { SimNodeSpec } from "../node-spec";

/**
 * What a control-plane component sees when the emulated kubelet starts its container: its
 * command line, the files its hostPath mounts expose, the node, and what else is serving. The
 * component models are pure functions of this context, so every flag rule is unit-tested.
 */

/** The node's files, by node path. */
export interface NodeFs {
  read(nodePath: string): string | null;
  isDir(nodePath: string): boolean;
}

export interface HostPathVolume {
  name: string;
  hostPath?: { path: string; type?: string };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}

/** The parts of a static pod's first container the models need. */
export interface ContainerSpec {
  name: string;
  image: string;
  command: string[];
  args: string[];
  volumeMounts: VolumeMount[];
}

export interface EtcdEndpointState {
  /** URLs etcd is listening on, as given (https://127.0.0.1:2379). Empty when etcd is not serving. */
  clientUrls: string[];
  /** The CA etcd trusts for client certificates (its --trusted-ca-file content). */
  trustedCaPem: string | null;
  /** etcd's serving certificate (its --cert-file content). */
  serverCertPem: string | null;
}

export interface ApiserverState {
  serving: boolean;
  /** --secure-port of the serving apiserver. */
  port: number;
  /** The CA the apiserver trusts for client certificates (--client-ca-file content). */
  clientCaPem: string | null;
  /** The certificate the apiserver serves (--tls-cert-file content). */
  servingCertPem: string | null;
  /**
   * False when etcd serves a store without the bootstrap RBAC (an emptied or moved data dir): the
   * components' users are then forbidden everything. Absent = present.
   */
  controlPlaneRbac?: boolean;
}

export interface ComponentContext {
  node: SimNodeSpec;
  fs: NodeFs;
  now: Date;
  container: ContainerSpec;
  volumes: HostPathVolume[];
  etcd: EtcdEndpointState;
  apiserver: ApiserverState;
}

export interface ListenSocket {
  host: string;
  port: number;
}

/** What the container does once started. */
export type ComponentRun =
  | { kind: "runs" }
  /** Exits after `afterMs` (simulated) with `exitCode`; the kubelet's back-off takes over. */
  | { kind: "exits"; afterMs: number; exitCode: number; reason: "Error" | "Completed" };

export interface ComponentOutcome {
  run: ComponentRun;
  /** Log lines in the component's own format, timestamped from ctx.now. */
  logs: string[];
  listen: ListenSocket[];
}

/** Parses a Go-style command line (pflag): `--k=v`, `--k v`, `--bool`. Positional args are kept apart. */
export function parseFlags(argv: string[]): { flags: Map<string, string>; positional: string[] } {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--?([^=]+)(?:=(.*))?$/s.exec(a);
    if (!m) {
      positional.push(a);
      continue;
    }
    if (m[2] !== undefined) flags.set(m[1]!, m[2]);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith("-")) flags.set(m[1]!, argv[++i]!);
    else flags.set(m[1]!, "true");
  }
  return { flags, positional };
}

/**
 * Maps a path inside the container to the node path its hostPath mount exposes, or null when
 * the path is in the container's own (ephemeral) filesystem. The longest mountPath wins, as in
 * the runtime's mount table.
 */
export function hostPathOf(containerPath: string, mounts: VolumeMount[], volumes: HostPathVolume[]): string | null {
  const norm = containerPath.replace(/\/+$/, "") || "/";
  let best: { mount: VolumeMount; len: number } | null = null;
  for (const m of mounts) {
    const mp = m.mountPath.replace(/\/+$/, "") || "/";
    if (norm === mp || norm.startsWith(`${mp}/`) || mp === "/") {
      if (!best || mp.length > best.len) best = { mount: m, len: mp.length };
    }
  }
  if (!best) return null;
  const vol = volumes.find((v) => v.name === best.mount.name);
  if (!vol?.hostPath) return null;
  const rest = norm.slice(best.len === 1 ? 0 : best.len);
  return (vol.hostPath.path.replace(/\/+$/, "") + rest) || "/";
}

/** Reads a file the container can see: through a mount, or null (not visible / missing). */
export function readInContainer(ctx: ComponentContext, containerPath: string): string | null {
  const hp = hostPathOf(containerPath, ctx.container.volumeMounts, ctx.volumes);
  if (hp === null) return null;
  return ctx.fs.read(hp);
}

/** Checks that a PEM key matches a PEM certificate; returns Go's error text or null. */
export function keyPairError(certPem: string, keyPem: string): string | null {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return "tls: failed to find any PEM data in certificate input";
  }
  try {
    const pub = createPublicKey(createPrivateKey(keyPem)).export({ type: "spki", format: "der" });
    const certPub = cert.publicKey.export({ type: "spki", format: "der" });
    return Buffer.compare(pub, certPub) === 0 ? null : "tls: private key does not match public key";
  } catch {
    return "tls: failed to find any PEM data in key input";
  }
}

/** Whether `certPem` was signed by `caPem`. */
export function signedBy(certPem: string, caPem: string): boolean {
  try {
    return new X509Certificate(certPem).verify(new X509Certificate(caPem).publicKey);
  } catch {
    return false;
  }
}

/** Whether a listen address is one this node can bind (loopback, any, or its own IP). */
export function canBind(host: string, node: SimNodeSpec): boolean {
  return ["127.0.0.1", "0.0.0.0", "::", "::1", "localhost", node.ip].includes(host);
}

/** Whether a client dialing `host:port` reaches a socket listening on `l`. */
export function reaches(host: string, port: number, l: ListenSocket, node: SimNodeSpec): boolean {
  if (l.port !== port) return false;
  const h = host === "localhost" ? "127.0.0.1" : host;
  if (l.host === "0.0.0.0" || l.host === "::") return h === "127.0.0.1" || h === node.ip || h === "::1";
  return l.host === h;
}

/** klog's header: `E1121 07:32:57.123456       1 file.go:72] ` */
export function klog(level: "I" | "W" | "E" | "F", at: Date, source: string, msg: string, pid = 1): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const ts = `${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())} ${p(at.getUTCHours())}:${p(at.getUTCMinutes())}:${p(at.getUTCSeconds())}.${p(at.getUTCMilliseconds(), 3)}${p(Math.floor(Math.random() * 1000), 3)}`;
  return `${level}${ts} ${String(pid).padStart(7)} ${source}] ${msg}`;
}

export function addMs(d: Date, ms: number): Date {
  return new Date(d.getTime() + ms);
}
