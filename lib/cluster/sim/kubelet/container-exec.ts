/**
 * `kubectl exec` in a real shell: the kubelet side of the CRI Exec call. It lays out the
 * container's filesystem (pod-rootfs.ts: root, volumes, /etc files, the ServiceAccount token),
 * builds the process environment as containerd would (image PATH, HOSTNAME, the container's env,
 * the service variables, HOME, TERM with a TTY), checks that the command exists (else the
 * runtime's "executable file not found in $PATH" error), and starts it in the pod sandbox
 * (pod-sandbox.ts). When it ends, what it wrote goes back into the kubelet's model of the
 * container's files, so exec probes, the interpreter and HTTP answers see it.
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { commandExists, layoutContainerFs, modelOwns, readModelFiles, writeModelFiles, type ContainerFs, type PodVolumeSource } from "../container-shell/pod-rootfs";
import { NETWORK_TOOLS } from "../container-shell/known-commands";
import { POD_NET_AGENT_JS } from "../container-shell/pod-net-agent";
import { hostBash, hostBusybox, hostNode, podSandboxAvailable, startPodSandbox } from "../container-shell/pod-sandbox";
import type { NetView } from "../container-shell/run-plan";
import type { Pod } from "../controllers/api-types";
import { randomHex } from "../controllers/object-helpers";
import { StatusError } from "../store/status-error";
import type { ObjectStore } from "../store/object-store";
import { resolveVolumes } from "./container-config";
import type { ExecStream, ExecStreamIo, ExecStreamRequest } from "./kubelet-seams";
import { signServiceAccountToken } from "../api/rbac/service-account-token";
import { hostsFile, podHostname, resolvConf, serviceEnv } from "./pod-etc-files";
import { clusterPorts, startPodNetBridge, type PodNetBridge } from "./pod-net-bridge";
import type { ContainerRuntimeState, PodRuntimeState } from "./pod-runtime-state";

const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** kind's nodes resolve through Docker's embedded DNS. */
const KIND_NODE_RESOLV = "nameserver 172.18.0.1\noptions ndots:0\n";
const TOKEN_KEY = randomBytes(32);

export interface SandboxExecDeps {
  store: ObjectStore;
  nodeName: string;
  /** Where pod directories live (the node's /var/lib/kubelet/pods); a private temp dir when absent. */
  podsDir?: string;
  dnsServer: string;
  nodeFile?: (p: string) => string | null;
  /** The host path of a node path the node's tree holds (/etc, /var, /root), else null. */
  nodePath?: (p: string) => string | null;
  /** The apiserver's sa.key: projected tokens are signed with it, so they authenticate. */
  serviceAccountKey?: () => string | null;
  now(): Date;
}

export interface SandboxExec {
  /** Whether this host can run pod sandboxes at all. */
  available(): boolean;
  /** Whether an image gets the real shell (it has one; images without one keep the model's exec). */
  handles(st: ContainerRuntimeState): boolean;
  /** `net`: the pod's view of the cluster network, served to the sandbox's network agent. */
  start(rt: PodRuntimeState, st: ContainerRuntimeState, req: ExecStreamRequest, io: ExecStreamIo, net?: NetView): ExecStream;
  /** The pod is gone: its directory (emptyDirs, container roots) goes too. */
  removePod(uid: string): void;
  /** The kubelet stops: a private pods directory goes. */
  stop(): void;
}

function ociExecError(why: string): StatusError {
  return new StatusError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${randomHex(64)}": OCI runtime exec failed: exec failed: unable to start container process: ${why}: unknown`,
    reason: "InternalError",
    code: 500,
  });
}

/**
 * A bound ServiceAccount token as the kubelet gets it from TokenRequest: signed with the
 * apiserver's sa.key when the cluster has one (so the apiserver accepts it), else with a
 * per-process key (a cluster without a node side), which the apiserver refuses.
 */
function podToken(store: ObjectStore, pod: Pod, now: Date, expirationSeconds: number, key: string | null): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const iat = Math.floor(now.getTime() / 1000);
  const sa = pod.spec.serviceAccountName ?? "default";
  const claims = {
    aud: ["https://kubernetes.default.svc.cluster.local"],
    exp: iat + expirationSeconds,
    iat,
    iss: "https://kubernetes.default.svc.cluster.local",
    jti: randomUUID(),
    "kubernetes.io": { namespace: pod.metadata.namespace, node: { name: pod.spec.nodeName ?? "" }, pod: { name: pod.metadata.name, uid: pod.metadata.uid ?? "" }, serviceaccount: { name: sa } },
    nbf: iat,
    sub: `system:serviceaccount:${pod.metadata.namespace}:${sa}`,
  };
  if (key) {
    const saObj = store.get("serviceaccounts", pod.metadata.namespace, sa);
    return signServiceAccountToken(key, {
      ...claims,
      "kubernetes.io": { namespace: pod.metadata.namespace, pod: { name: pod.metadata.name, uid: pod.metadata.uid ?? "" }, serviceaccount: { name: sa, uid: saObj?.metadata.uid ?? "" } },
    });
  }
  const head = `${b64({ alg: "RS256", kid: "sim" })}.${b64(claims)}`;
  return `${head}.${createHmac("sha256", TOKEN_KEY).update(head).digest("base64url")}`;
}

const hasBash = (st: ContainerRuntimeState) => (st.image?.image.behaviour.tools ?? []).includes("bash");

export function createSandboxExec(deps: SandboxExecDeps): SandboxExec {
  let privateDir: string | null = null;
  let socketDir: string | null = null;
  const podsDir = () => deps.podsDir ?? (privateDir ??= fs.mkdtempSync(path.join(os.tmpdir(), `breakfix-pods-${deps.nodeName}-`)));
  /** Per container record: the model paths last written to or read from disk. */
  const synced = new Map<string, Set<string>>();
  const tokens = new Map<string, string>();

  /** A directory of the node (hostPath, a PV's path): in the node's tree when the node has one. */
  function nodeDir(nodePath: string): string {
    const clean = path.posix.normalize(`/${nodePath}`);
    return deps.nodePath?.(clean) ?? path.join(podsDir(), "..", "node-paths", clean);
  }

  function projected(rt: PodRuntimeState, sources: unknown[]): Record<string, string> {
    const files: Record<string, string> = {};
    const pod = rt.pod;
    for (const raw of sources) {
      const s = raw as Record<string, { path?: string; expirationSeconds?: number; name?: string; items?: { key?: string; path: string; fieldRef?: { fieldPath?: string } }[] }>;
      if (s.serviceAccountToken) {
        const key = `${rt.uid}`;
        if (!tokens.has(key)) tokens.set(key, podToken(deps.store, pod, deps.now(), s.serviceAccountToken.expirationSeconds ?? 3607, deps.serviceAccountKey?.() ?? null));
        files[s.serviceAccountToken.path ?? "token"] = tokens.get(key)!;
      } else if (s.configMap || s.secret) {
        const kind = s.configMap ? "configmaps" : "secrets";
        const ref = s.configMap ?? s.secret!;
        const o = deps.store.get(kind, pod.metadata.namespace, ref.name ?? "");
        const data = (o?.data ?? {}) as Record<string, string>;
        const val = (k: string) => (kind === "secrets" ? Buffer.from(data[k] ?? "", "base64").toString("utf8") : (data[k] ?? ""));
        if (ref.items) for (const i of ref.items) files[i.path] = val(i.key ?? "");
        else for (const k of Object.keys(data)) files[k] = val(k);
      } else if (s.downwardAPI) {
        for (const i of s.downwardAPI.items ?? []) {
          const f = i.fieldRef?.fieldPath;
          const v: Record<string, string | undefined> = { "metadata.namespace": pod.metadata.namespace, "metadata.name": pod.metadata.name, "metadata.uid": pod.metadata.uid, "spec.nodeName": pod.spec.nodeName, "spec.serviceAccountName": pod.spec.serviceAccountName ?? "default" };
          files[i.path] = (f && v[f]) ?? "";
        }
      }
    }
    return files;
  }

  function volumesOf(rt: PodRuntimeState, podDir: string): Record<string, PodVolumeSource> {
    const out: Record<string, PodVolumeSource> = {};
    const resolved = resolveVolumes(deps.store, rt.pod);
    for (const v of rt.pod.spec.volumes ?? []) {
      if ((v.configMap || v.secret) && resolved.ok && resolved.volumeFiles[v.name]) out[v.name] = { kind: "files", files: resolved.volumeFiles[v.name]! };
      else if (v.projected) out[v.name] = { kind: "files", files: projected(rt, (v.projected.sources as unknown[] | undefined) ?? []) };
      else if (v.emptyDir) out[v.name] = { kind: "dir", dir: path.join(podDir, "volumes", "kubernetes.io~empty-dir", v.name) };
      else if (v.persistentVolumeClaim) {
        const pvc = deps.store.get("persistentvolumeclaims", rt.pod.metadata.namespace, v.persistentVolumeClaim.claimName);
        const pvName = ((pvc?.spec ?? {}) as { volumeName?: string }).volumeName;
        const pv = pvName ? deps.store.get("persistentvolumes", undefined, pvName) : undefined;
        const pvSpec = (pv?.spec ?? {}) as { hostPath?: { path?: string }; local?: { path?: string } };
        // The data lives where the PV says on the node (local-path: /var/local-path-provisioner/…), so it outlives the pod.
        const p = pvSpec.hostPath?.path ?? pvSpec.local?.path ?? `/var/lib/kubelet/pv/${pvName ?? `${rt.pod.metadata.namespace}_${v.persistentVolumeClaim.claimName}`}`;
        out[v.name] = { kind: "dir", dir: nodeDir(p) };
      } else if (v.hostPath) out[v.name] = { kind: "dir", dir: nodeDir(v.hostPath.path) };
    }
    return out;
  }

  function layout(rt: PodRuntimeState, st: ContainerRuntimeState): ContainerFs {
    const pod = rt.pod;
    const podDir = path.join(podsDir(), rt.uid);
    const nodeResolv = deps.nodeFile?.("/etc/resolv.conf") ?? KIND_NODE_RESOLV;
    const ips = rt.sandbox?.ip ? [rt.sandbox.ip] : [];
    return layoutContainerFs({
      podDir,
      container: `${st.spec.name}/${st.current?.attempt ?? 0}`,
      busybox: st.image?.image.behaviour.shell ? hostBusybox() : null,
      omitApplets: [...NETWORK_TOOLS].filter((t) => !(st.image?.image.behaviour.tools ?? []).includes(t)),
      bash: hasBash(st),
      etc: { hosts: hostsFile(pod, ips), resolvConf: resolvConf(pod, deps.dnsServer, nodeResolv), hostname: `${podHostname(pod)}\n` },
      volumes: volumesOf(rt, podDir),
      mounts: st.spec.volumeMounts ?? [],
    });
  }

  function syncedOf(st: ContainerRuntimeState): Set<string> {
    const id = st.current?.id ?? "";
    let s = synced.get(id);
    if (!s) synced.set(id, (s = new Set()));
    return s;
  }

  /** Replaces the model's files in the places the disk owns with what the disk has. */
  function readBack(rt: PodRuntimeState, execd: ContainerRuntimeState): void {
    for (const st of rt.containers.values()) {
      if (st.current?.state !== "Running") continue;
      const volumesOnly = st !== execd;
      const cfs = layout(rt, st);
      const disk = readModelFiles(cfs, syncedOf(st), { volumesOnly });
      for (const p of Object.keys(st.files)) if (modelOwns(cfs, p, volumesOnly) && !(p in disk)) delete st.files[p];
      Object.assign(st.files, disk);
    }
  }

  function env(rt: PodRuntimeState, st: ContainerRuntimeState, tty: boolean): Record<string, string> {
    const out: Record<string, string> = { PATH: DEFAULT_PATH, HOSTNAME: podHostname(rt.pod) };
    if (tty) out.TERM = "xterm";
    Object.assign(out, serviceEnv(deps.store, rt.pod, st.current?.startedAt ?? deps.now()));
    Object.assign(out, st.env);
    out.HOME ??= "/root";
    return out;
  }

  return {
    available: () => podSandboxAvailable() !== null,
    handles: (st) => !!st.image?.image.behaviour.shell && podSandboxAvailable() !== null,
    start(rt, st, req, io, view) {
      const cfs = layout(rt, st);
      writeModelFiles(cfs, st.files, syncedOf(st));
      const e = env(rt, st, req.tty);
      const bin = req.command[0] ?? "";
      const busybox = st.image?.image.behaviour.shell ? hostBusybox() : null;
      const bash = hasBash(st) && hostBash() !== null;
      if (!bin || !commandExists(cfs, bin, e.PATH ?? DEFAULT_PATH, busybox, bash)) {
        throw ociExecError(bin.includes("/") ? `exec: "${bin}": stat ${bin}: no such file or directory` : `exec: "${bin}": executable file not found in $PATH`);
      }
      let bridge: PodNetBridge | null = null;
      let netSpec: { agentJs: string; socket: string } | undefined;
      if (view && hostNode()) {
        // Unix socket paths are short (108 bytes): a private dir under the temp dir, not the pod's.
        const runDir = (socketDir ??= fs.mkdtempSync(path.join(os.tmpdir(), "bfx-net-")));
        const agentJs = path.join(runDir, "pod-net.cjs");
        if (!fs.existsSync(agentJs) || fs.readFileSync(agentJs, "utf8") !== POD_NET_AGENT_JS) fs.writeFileSync(agentJs, POD_NET_AGENT_JS, { mode: 0o644 });
        bridge = startPodNetBridge(path.join(runDir, `net-${randomHex(6)}.sock`), view, clusterPorts(deps.store));
        netSpec = { agentJs, socket: bridge.socketPath };
      }
      let proc;
      try {
        proc = startPodSandbox({ fs: cfs, busybox, bash, hostname: podHostname(rt.pod), env: e, argv: req.command, tty: req.tty, net: netSpec }, io);
      } catch (err) {
        bridge?.close();
        throw err;
      }
      const done = proc.done.then((code) => {
        bridge?.close();
        try {
          readBack(rt, st);
        } catch {
          // The pod went away while the command ran; nothing to read back into.
        }
        return code;
      });
      return { ...proc, done };
    },
    removePod(uid) {
      const dir = path.join(podsDir(), uid);
      tokens.delete(uid);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    stop() {
      for (const d of [privateDir, socketDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
      privateDir = null;
      socketDir = null;
    },
  };
}
