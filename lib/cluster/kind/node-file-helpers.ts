import path from "node:path";
import type { Cluster } from "@/lib/cluster/types";
import { InputError, TimeoutError, UnavailableError } from "@/lib/errors";
import { parseCrictlContainers } from "./parse-tool-output";

/**
 * Helpers for the fault-injection pitfalls of real nodes (KIND-NOTES, "Pitfalls"). They need
 * only Cluster.exec, so the scenario SDK can use them on any driver that runs real node files.
 */
type NodeExec = Pick<Cluster, "exec">;

const SAFE_PATH = /^\/(?:[A-Za-z0-9._@+-]+\/)*[A-Za-z0-9._@+-]+$/;
/** Mount points inside a kind node: a rename across them is a copy, so temp files stay inside. */
const NODE_MOUNTS = ["/var", "/tmp", "/run"];

function checkPath(p: string): void {
  if (!SAFE_PATH.test(p) || p.split("/").includes("..")) throw new InputError(`"${p}" is not an absolute, plain file path.`);
}

/**
 * Where the temp file for `target` goes: in the parent of the target's directory, so that a
 * watcher of the directory itself (the kubelet on /etc/kubernetes/manifests, which loads every
 * file there, even etcd.yaml.bak) never sees a half-written or extra file, and on the same
 * filesystem, so the final mv is an atomic rename.
 */
export function tempPathFor(target: string, id: string): string {
  const dir = path.posix.dirname(target);
  const parent = path.posix.dirname(dir);
  const base = `.breakfix-${path.posix.basename(target)}.${id}`;
  const staysInDir = parent === "/" || NODE_MOUNTS.includes(dir);
  return path.posix.join(staysInDir ? dir : parent, base);
}

/** Where to keep a backup of a node file: outside the watched directory, never `*.bak` beside it. */
export function backupPathFor(target: string): string {
  checkPath(target);
  return `/var/lib/breakfix-backups${target}`;
}

/**
 * Writes a node file the safe way: content to a temp file outside the target's directory, the
 * original's mode and owner copied onto it, then `mv -f` over the target (an atomic rename).
 * Never `cp` over a manifest or `>` into it: the kubelet can read the half-written file and the
 * pod can then stay down until `systemctl restart kubelet`.
 *
 * @example
 * await writeNodeFileAtomic(cluster, "lab-control-plane", "/etc/kubernetes/manifests/etcd.yaml", yaml);
 */
export async function writeNodeFileAtomic(
  cluster: NodeExec,
  node: string,
  target: string,
  content: string,
  opts: { mode?: string; signal?: AbortSignal } = {},
): Promise<void> {
  checkPath(target);
  const mode = opts.mode ?? "0644";
  if (!/^0?[0-7]{3}$/.test(mode)) throw new InputError(`"${mode}" is not an octal file mode.`);
  const tmp = tempPathFor(target, Math.random().toString(36).slice(2, 8));
  // A fixed script; the paths arrive as positional parameters, never spliced into the text.
  const script =
    'set -e; tmp=$1; dst=$2; mkdir -p "$(dirname "$dst")"; cat > "$tmp"; ' +
    'if [ -e "$dst" ]; then chmod --reference="$dst" "$tmp"; chown --reference="$dst" "$tmp"; else chmod "$3" "$tmp"; fi; ' +
    'mv -f "$tmp" "$dst"';
  const r = await cluster.exec(node, ["sh", "-c", script, "sh", tmp, target, mode], { stdin: content, timeoutMs: 30_000, signal: opts.signal });
  if (r.code !== 0) {
    await cluster.exec(node, ["rm", "-f", tmp], { timeoutMs: 10_000 }).catch(() => undefined);
    throw new UnavailableError(`Could not write ${target} on ${node}: ${r.stderr.trim()}`);
  }
}

/** The node's clock in nanoseconds (crictl's createdAt unit); take it before changing a manifest. */
export async function nodeClockNs(cluster: NodeExec, node: string): Promise<bigint> {
  const r = await cluster.exec(node, ["date", "+%s%N"], { timeoutMs: 10_000 });
  if (r.code !== 0 || !/^\d+$/.test(r.stdout.trim())) throw new UnavailableError(`Could not read the clock of ${node}: ${r.stderr.trim()}`);
  return BigInt(r.stdout.trim());
}

export interface StaticPodReloadOptions {
  /** Container name in crictl (etcd, kube-apiserver, kube-scheduler, kube-controller-manager). */
  container: string;
  /** nodeClockNs() taken before the manifest changed. */
  since: bigint;
  /** How long to wait for the kubelet on its own before `systemctl restart kubelet` (default 40 s). */
  fallbackAfterMs?: number;
  /** Total wait (default 120 s). */
  timeoutMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * Waits until the kubelet has started a new container for a static pod whose manifest changed.
 * When it has not within `fallbackAfterMs` (the kubelet sometimes misses a change), restarts
 * the kubelet once and keeps waiting. Returns whether the restart was needed.
 *
 * @example
 * const since = await nodeClockNs(cluster, cp);
 * await writeNodeFileAtomic(cluster, cp, "/etc/kubernetes/manifests/etcd.yaml", fixed);
 * await ensureStaticPodReloaded(cluster, cp, { container: "etcd", since });
 */
export async function ensureStaticPodReloaded(cluster: NodeExec, node: string, opts: StaticPodReloadOptions): Promise<{ restartedKubelet: boolean }> {
  if (!/^[a-z0-9-]+$/.test(opts.container)) throw new InputError(`"${opts.container}" is not a container name.`);
  const start = Date.now();
  const fallbackAt = start + (opts.fallbackAfterMs ?? 40_000);
  const deadline = start + (opts.timeoutMs ?? 120_000);
  const pollMs = opts.pollMs ?? 2000;
  let restartedKubelet = false;
  for (;;) {
    const r = await cluster.exec(node, ["crictl", "ps", "-a", "--name", `^${opts.container}$`, "-o", "json"], { timeoutMs: 20_000, signal: opts.signal });
    if (r.code === 0 && parseCrictlContainers(r.stdout).some((c) => c.name === opts.container && c.createdAtNs > opts.since)) {
      return { restartedKubelet };
    }
    const now = Date.now();
    if (now >= deadline) {
      throw new TimeoutError(
        `Waited ${Math.round((deadline - start) / 1000)} s for a new ${opts.container} container on ${node}${restartedKubelet ? " (the kubelet was restarted once)" : ""}.`,
      );
    }
    if (!restartedKubelet && now >= fallbackAt) {
      restartedKubelet = true;
      const restart = await cluster.exec(node, ["systemctl", "restart", "kubelet"], { timeoutMs: 60_000, signal: opts.signal });
      if (restart.code !== 0) throw new UnavailableError(`systemctl restart kubelet failed on ${node}: ${restart.stderr.trim()}`);
    }
    await new Promise((res) => setTimeout(res, pollMs));
  }
}

/**
 * kindnet writes /etc/cni/net.d/10-kindnet.conflist only when its inputs change, so a deleted
 * conflist stays deleted. Deleting the node's kindnet pod makes the DaemonSet start a new one,
 * which writes the file again. Waits until the file is back.
 *
 * @example
 * await restoreKindnetConflist(cluster, "lab-control-plane", "lab-worker");
 */
export async function restoreKindnetConflist(
  cluster: NodeExec,
  controlPlane: string,
  node: string,
  opts: { timeoutMs?: number; pollMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const del = await cluster.exec(
    controlPlane,
    ["kubectl", "-n", "kube-system", "delete", "pod", "-l", "app=kindnet", "--field-selector", `spec.nodeName=${node}`, "--wait=false"],
    { timeoutMs: 60_000, signal: opts.signal },
  );
  if (del.code !== 0) throw new UnavailableError(`Could not restart kindnet on ${node}: ${del.stderr.trim()}`);
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  for (;;) {
    const r = await cluster.exec(node, ["test", "-s", "/etc/cni/net.d/10-kindnet.conflist"], { timeoutMs: 10_000, signal: opts.signal });
    if (r.code === 0) return;
    if (Date.now() >= deadline) throw new TimeoutError(`Waited for kindnet to write /etc/cni/net.d/10-kindnet.conflist on ${node} again.`);
    await new Promise((res) => setTimeout(res, opts.pollMs ?? 2000));
  }
}

/**
 * `kubeadm certs renew all` renews the control-plane certificates and admin.conf,
 * controller-manager.conf and scheduler.conf, taking each existing certificate as the template
 * (CN, SANs, key usages) — but not kubelet.conf: the kubelet's client certificate rotates
 * by itself (/var/lib/kubelet/pki/kubelet-client-current.pem). A scenario that expires the
 * kubelet's certificate must be fixed differently. This lists what renew leaves alone.
 */
export const KUBEADM_RENEW_DOES_NOT_COVER = ["/etc/kubernetes/kubelet.conf", "/var/lib/kubelet/pki/kubelet-client-current.pem"] as const;
