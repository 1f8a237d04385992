/**
 * A pod container's filesystem on disk, for the real shell that `kubectl exec` runs in
 * (pod-sandbox.ts): a writable root per container (kept across execs, like the container's
 * overlay layer), busybox's applets as /bin/<applet> symlinks for images with a shell, the pod's
 * /etc/hosts, /etc/resolv.conf and /etc/hostname, and one directory per volume under the pod's
 * directory, so an emptyDir is shared by the pod's containers. ConfigMap, Secret and projected
 * volumes get the kubelet's atomic-writer layout (`..data` → `..<timestamp>`, `key` → `..data/key`).
 *
 * The kubelet model keeps its own view of the container's files (the map the interpreter, probes
 * and HTTP answers read); `writeModelFiles` puts it on disk before an exec and `readModelFiles`
 * reads what the exec left, so `kubectl exec … -- touch /tmp/ready` satisfies an exec probe.
 */
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** What a volume holds: projected files (read-only, atomic-writer layout) or a directory. */
export type PodVolumeSource = { kind: "files"; files: Record<string, string> } | { kind: "dir"; dir: string };

export interface ContainerMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

export interface ContainerFsSpec {
  /** The pod's own directory (the kubelet's /var/lib/kubelet/pods/<uid>). */
  podDir: string;
  container: string;
  /** The host's busybox when the image has a shell; null for images without one. */
  busybox: string | null;
  /** Applets the image does not have (network clients it lacks): no /bin symlink. */
  omitApplets?: string[];
  /** The image has bash (Debian-based): its /etc/bash.bashrc sets Debian's prompt. */
  bash?: boolean;
  etc: { hosts: string; resolvConf: string; hostname: string };
  volumes: Record<string, PodVolumeSource>;
  mounts: ContainerMount[];
}

export interface MountedDir {
  mountPath: string;
  /** Host path bound there (a directory, or a file for a subPath). */
  source: string;
  readOnly: boolean;
  /** Projected files (ConfigMap/Secret/token): the model already knows them. */
  projected: boolean;
}

export interface ContainerFs {
  root: string;
  etcFiles: { hosts: string; resolvConf: string; hostname: string };
  mounts: MountedDir[];
}

/** Paths the model never writes to disk or reads back: kernel filesystems, the kubelet's own files, the host's bash and libraries. */
const SPECIAL = ["/proc", "/dev", "/sys", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname", "/lib", "/lib64", "/usr/lib", "/bin", "/run/breakfix"];
const MAX_MODEL_FILE = 1 << 20;
const MAX_MODEL_FILES = 5000;

const BASE_ETC: Record<string, string> = {
  "etc/passwd": "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n",
  "etc/group": "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nwheel:x:10:root\nmail:x:12:\nwww-data:x:33:\nusers:x:100:\nnogroup:x:65533:\nnobody:x:65534:\n",
};

const DEBIAN_BASHRC = `# System-wide .bashrc file for interactive bash(1) shells.
[ -z "$PS1" ] && return
shopt -s checkwinsize
if [ -z "\${debian_chroot:-}" ] && [ -r /etc/debian_chroot ]; then
    debian_chroot=$(cat /etc/debian_chroot)
fi
PS1='\${debian_chroot:+($debian_chroot)}\\u@\\h:\\w\\$ '
`;

let appletCache: string[] | null = null;

/** busybox's applet names (`busybox --list`), asked once. */
function applets(busybox: string): string[] {
  if (appletCache) return appletCache;
  const r = spawnSync(busybox, ["--list"], { encoding: "utf8" });
  appletCache = r.status === 0 ? r.stdout.split("\n").filter((a) => /^[\w.[-]+$/.test(a)) : [];
  return appletCache;
}

function writeIfChanged(file: string, content: string, mode = 0o644): void {
  try {
    if (fs.readFileSync(file, "utf8") === content) return;
  } catch {
    // absent: written below
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode });
}

/** The kubelet's atomic writer: a new timestamped dir when the content changed, `..data` switched to it. */
function projectFiles(dir: string, files: Record<string, string>): void {
  fs.mkdirSync(dir, { recursive: true });
  const dataLink = path.join(dir, "..data");
  let current: Record<string, string> | null = null;
  try {
    const target = path.join(dir, fs.readlinkSync(dataLink));
    current = {};
    for (const k of Object.keys(files)) current[k] = fs.readFileSync(path.join(target, k), "utf8");
  } catch {
    current = null;
  }
  if (current && Object.entries(files).every(([k, v]) => current[k] === v)) return;
  const d = new Date();
  const p2 = (n: number) => String(n).padStart(2, "0");
  const ts = `..${d.getUTCFullYear()}_${p2(d.getUTCMonth() + 1)}_${p2(d.getUTCDate())}_${p2(d.getUTCHours())}_${p2(d.getUTCMinutes())}_${p2(d.getUTCSeconds())}.${randomInt(1e9)}`;
  const tsDir = path.join(dir, ts);
  for (const [k, v] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(tsDir, k)), { recursive: true });
    fs.writeFileSync(path.join(tsDir, k), v, { mode: 0o644 });
  }
  const tmp = path.join(dir, "..data_tmp");
  fs.rmSync(tmp, { force: true });
  fs.symlinkSync(ts, tmp);
  fs.renameSync(tmp, dataLink);
  for (const k of new Set(Object.keys(files).map((f) => f.split("/")[0]!))) {
    const link = path.join(dir, k);
    try {
      fs.lstatSync(link);
    } catch {
      fs.symlinkSync(path.join("..data", k), link);
    }
  }
  for (const e of fs.readdirSync(dir)) if (e.startsWith("..") && e !== ts && e !== "..data") fs.rmSync(path.join(dir, e), { recursive: true, force: true });
}

/** Lays out (or brings up to date) the container's root, its etc files and the pod's volumes. */
export function layoutContainerFs(spec: ContainerFsSpec): ContainerFs {
  const root = path.join(spec.podDir, "containers", spec.container, "rootfs");
  const fresh = !fs.existsSync(root);
  for (const d of ["bin", "etc", "tmp", "root", "var/tmp", "usr/bin", "usr/local/bin", "home", "proc", "dev", "sys"]) fs.mkdirSync(path.join(root, d), { recursive: true });
  if (fresh) {
    fs.chmodSync(path.join(root, "tmp"), 0o1777);
    for (const [f, c] of Object.entries(BASE_ETC)) writeIfChanged(path.join(root, f), c);
    if (spec.bash) writeIfChanged(path.join(root, "etc/bash.bashrc"), DEBIAN_BASHRC);
    if (spec.busybox) {
      // bwrap binds the host's busybox at /bin/busybox; the applets point at it.
      fs.writeFileSync(path.join(root, "bin", "busybox"), "");
      for (const a of applets(spec.busybox)) {
        if (a === "busybox" || spec.omitApplets?.includes(a)) continue;
        const link = path.join(root, "bin", a);
        if (!fs.existsSync(link)) fs.symlinkSync("/bin/busybox", link);
      }
    }
  }
  const etcDir = path.join(spec.podDir, "etc");
  const etcFiles = { hosts: path.join(etcDir, "etc-hosts"), resolvConf: path.join(etcDir, "resolv.conf"), hostname: path.join(etcDir, "hostname") };
  writeIfChanged(etcFiles.hosts, spec.etc.hosts);
  writeIfChanged(etcFiles.resolvConf, spec.etc.resolvConf);
  writeIfChanged(etcFiles.hostname, spec.etc.hostname);
  const mounts: MountedDir[] = [];
  for (const m of spec.mounts) {
    const v = spec.volumes[m.name];
    if (!v) continue;
    let dir: string;
    if (v.kind === "files") {
      dir = path.join(spec.podDir, "volumes", m.name);
      projectFiles(dir, v.files);
    } else {
      dir = v.dir;
      // A hostPath may name a file (type: File, a socket); only a missing path becomes a directory.
      if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true });
    }
    let source = dir;
    if (m.subPath) {
      source = path.join(dir, m.subPath);
      if (!source.startsWith(dir + path.sep)) continue;
      if (!fs.existsSync(source)) fs.mkdirSync(source, { recursive: true });
    }
    mounts.push({ mountPath: path.posix.normalize(m.mountPath), source, readOnly: v.kind === "files" || !!m.readOnly, projected: v.kind === "files" });
  }
  return { root, etcFiles, mounts };
}

function under(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith("/") ? dir : `${dir}/`);
}

function isSpecial(p: string): boolean {
  return SPECIAL.some((s) => under(p, s));
}

/** Where a container path lives on the host, or null (special, read-only mount, outside). */
function hostPathOf(cfs: ContainerFs, p: string): string | null {
  const clean = path.posix.normalize(p);
  if (!clean.startsWith("/") || isSpecial(clean)) return null;
  const m = [...cfs.mounts].sort((a, b) => b.mountPath.length - a.mountPath.length).find((x) => under(clean, x.mountPath));
  if (m) {
    if (m.readOnly) return null;
    const rel = path.posix.relative(m.mountPath, clean);
    return rel ? path.join(m.source, rel) : null;
  }
  const h = path.join(cfs.root, clean);
  return h.startsWith(cfs.root + path.sep) ? h : null;
}

/**
 * Writes the model's files to disk and removes those the model dropped since the last sync
 * (`synced`, updated in place).
 */
export function writeModelFiles(cfs: ContainerFs, files: Record<string, string>, synced: Set<string>): void {
  for (const p of synced) {
    if (p in files) continue;
    const h = hostPathOf(cfs, p);
    if (h) fs.rmSync(h, { force: true });
    synced.delete(p);
  }
  for (const [p, content] of Object.entries(files)) {
    const h = hostPathOf(cfs, p);
    if (!h) continue;
    try {
      writeIfChanged(h, content);
      synced.add(p);
    } catch {
      // A path the model has as a file where the disk has a directory: the disk wins.
    }
  }
}

function walk(dir: string, prefix: string, skip: (p: string) => boolean, out: Record<string, string>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (Object.keys(out).length >= MAX_MODEL_FILES) return;
    const p = `${prefix}/${e.name}`.replace(/^\/\//, "/");
    if (skip(p)) continue;
    const h = path.join(dir, e.name);
    if (e.isDirectory()) walk(h, p, skip, out);
    else if (e.isFile()) {
      try {
        if (fs.statSync(h).size <= MAX_MODEL_FILE) out[p] = fs.readFileSync(h, "utf8");
      } catch {
        // vanished while reading
      }
    }
  }
}

/**
 * The container's files as the exec left them (root and writable volumes; projected volumes and
 * the busybox applets are the model's already), and updates `synced`.
 */
export function readModelFiles(cfs: ContainerFs, synced: Set<string>, opts: { volumesOnly?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const mountPaths = cfs.mounts.map((m) => m.mountPath);
  if (!opts.volumesOnly) {
    walk(cfs.root, "", (p) => isSpecial(p) || mountPaths.some((m) => under(p, m)), out);
  }
  for (const m of cfs.mounts) {
    if (m.readOnly) continue;
    if (fs.statSync(m.source, { throwIfNoEntry: false })?.isDirectory()) walk(m.source, m.mountPath === "/" ? "" : m.mountPath, () => false, out);
    else if (fs.existsSync(m.source)) out[m.mountPath] = fs.readFileSync(m.source, "utf8");
  }
  for (const p of Object.keys(out)) synced.add(p);
  return out;
}

/** Whether a container path (after a mount) is in a writable place the model mirrors. */
export function modelOwns(cfs: ContainerFs, p: string, volumesOnly: boolean): boolean {
  const clean = path.posix.normalize(p);
  if (isSpecial(clean)) return false;
  const m = [...cfs.mounts].sort((a, b) => b.mountPath.length - a.mountPath.length).find((x) => under(clean, x.mountPath));
  if (m) return !m.readOnly;
  return !volumesOnly;
}

/**
 * Finds `bin` as the runtime does before exec: a path is taken as given (inside the root or a
 * mount), a bare name is looked up in PATH. Returns whether it exists.
 */
export function commandExists(cfs: ContainerFs, bin: string, pathVar: string, busybox: string | null, bash = false): boolean {
  const exists = (p: string): boolean => {
    const clean = path.posix.normalize(p);
    if (clean === "/bin/busybox") return busybox !== null;
    if (clean === "/bin/bash") return bash;
    const m = [...cfs.mounts].sort((a, b) => b.mountPath.length - a.mountPath.length).find((x) => under(clean, x.mountPath));
    const h = m ? path.join(m.source, path.posix.relative(m.mountPath, clean)) : path.join(cfs.root, clean);
    try {
      const st = fs.lstatSync(h);
      if (st.isSymbolicLink()) {
        const t = fs.readlinkSync(h);
        return t === "/bin/busybox" ? busybox !== null : exists(t.startsWith("/") ? t : path.posix.join(path.posix.dirname(clean), t));
      }
      return st.isFile() && (st.mode & 0o111) !== 0;
    } catch {
      return false;
    }
  };
  if (bin.includes("/")) return exists(bin.startsWith("/") ? bin : `/${bin}`);
  return pathVar.split(":").some((d) => d && exists(`${d}/${bin}`));
}
