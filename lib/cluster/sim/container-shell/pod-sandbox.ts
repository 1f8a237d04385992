/**
 * Runs a `kubectl exec` command in a pod container's own sandbox: bubblewrap with the container's
 * root (pod-rootfs.ts) as `/`, the host's static busybox bound read-only at /bin/busybox, the
 * pod's /etc/hosts, /etc/resolv.conf and /etc/hostname, its volumes at their mount paths, its
 * hostname, its environment, and nothing of the host's network (`--unshare-net`: only `lo`).
 * The process is root inside a user namespace of its own, dies with the server, and runs under
 * limits (prlimit: file size, address space, CPU time; a wall clock and an output cap here), so a
 * learner's `yes` or `cat /dev/zero > f` cannot hurt the server.
 *
 * Without a TTY stdin/stdout/stderr are pipes; with one (`kubectl exec -it`) the sandbox runs
 * under node-pty and stdout carries the terminal's output (stderr is merged, as on a real TTY).
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type * as NodePty from "node-pty";
import type { ContainerFs } from "./pod-rootfs";

let ptyModule: typeof NodePty | undefined;

/**
 * node-pty, loaded when the first TTY is asked for. It is a native module, so the daemon's bundle
 * cannot hold it: it is found from the bundle's place or else the repository (the daemon's cwd).
 */
function loadPty(): typeof NodePty {
  if (ptyModule) return ptyModule;
  let last: unknown;
  for (const from of [import.meta.url, path.join(process.cwd(), "package.json")]) {
    try {
      ptyModule = createRequire(from)("node-pty") as typeof NodePty;
      return ptyModule;
    } catch (e) {
      last = e;
    }
  }
  throw new Error(`node-pty could not be loaded for a TTY exec: ${last instanceof Error ? last.message : String(last)}`);
}

export interface PodSandboxLimits {
  /** Wall-clock limit; the process group is killed after it (exit code 137). */
  wallMs: number;
  /** Bytes of stdout+stderr after which the process is killed. */
  outputBytes: number;
  /** RLIMIT_FSIZE: the largest file the process may write. */
  fileBytes: number;
  /** RLIMIT_AS. */
  memoryBytes: number;
  /** RLIMIT_CPU, seconds of CPU time. */
  cpuSeconds: number;
}

export const EXEC_LIMITS: PodSandboxLimits = { wallMs: 10 * 60_000, outputBytes: 32 << 20, fileBytes: 64 << 20, memoryBytes: 1 << 30, cpuSeconds: 120 };
export const TTY_LIMITS: PodSandboxLimits = { wallMs: 4 * 3600_000, outputBytes: 512 << 20, fileBytes: 64 << 20, memoryBytes: 1 << 30, cpuSeconds: 600 };

export interface PodSandboxSpec {
  fs: ContainerFs;
  /** Host busybox bound at /bin/busybox (null: the image has no shell). */
  busybox: string | null;
  /** The image has bash: the host's, with its libraries. */
  bash?: boolean;
  hostname: string;
  env: Record<string, string>;
  workingDir?: string;
  argv: string[];
  tty: boolean;
  /** The network agent: its program and the bridge socket (pod-net-agent.ts); absent, only `lo` answers. */
  net?: { agentJs: string; socket: string };
  /** Extra read-only binds (source → target). */
  extraBinds?: { source: string; target: string; rw?: boolean }[];
  limits?: PodSandboxLimits;
}

export interface PodSandboxIo {
  stdout(data: Buffer): void;
  stderr(data: Buffer): void;
}

export interface PodSandboxProcess {
  write(data: Buffer): void;
  endStdin(): void;
  resize(cols: number, rows: number): void;
  kill(): void;
  /** The exit code (128+signal when killed, 137 when a limit was hit). */
  done: Promise<number>;
}

let bwrapPath: string | null | undefined;
let prlimitPath: string | null | undefined;

function which(name: string, candidates: string[]): string | null {
  for (const c of candidates) if (fs.existsSync(c)) return c;
  const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** Whether this host can run pod sandboxes (bubblewrap and a static busybox). */
export function podSandboxAvailable(): { bwrap: string; busybox: string } | null {
  if (bwrapPath === undefined) bwrapPath = which("bwrap", ["/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"]);
  const busybox = hostBusybox();
  return bwrapPath && busybox ? { bwrap: bwrapPath, busybox } : null;
}

let busyboxPath: string | null | undefined;

/** The host's busybox; it must be static, since the sandbox holds no libraries. */
export function hostBusybox(): string | null {
  if (busyboxPath !== undefined) return busyboxPath;
  busyboxPath = null;
  for (const c of ["/bin/busybox", "/usr/bin/busybox", "/usr/local/bin/busybox"]) {
    if (!fs.existsSync(c)) continue;
    // A dynamically linked ELF names its interpreter (PT_INTERP, "/lib64/ld-linux…").
    const head = fs.readFileSync(c).subarray(0, 4096).toString("latin1");
    if (head.includes("/ld-linux") || head.includes("ld-musl")) continue;
    busyboxPath = c;
    break;
  }
  return busyboxPath;
}

let bashCache: { bin: string; libs: string[] } | null | undefined;

/**
 * The host's bash and the libraries it loads (ldd), for images that have bash (nginx, httpd are
 * Debian-based): bound read-only at the same paths, nothing else of the host's /usr.
 */
export function hostBash(): { bin: string; libs: string[] } | null {
  if (bashCache !== undefined) return bashCache;
  bashCache = null;
  const bin = ["/usr/bin/bash", "/bin/bash"].find((b) => fs.existsSync(b));
  if (!bin) return null;
  const r = spawnSync("ldd", [bin], { encoding: "utf8" });
  if (r.status !== 0) return null;
  const libs: string[] = [];
  for (const line of r.stdout.split("\n")) {
    const m = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (m) libs.push(m[1]!);
  }
  bashCache = { bin: fs.realpathSync(bin), libs };
  return bashCache;
}

let nodeCache: { node: string; interp: string; libs: { src: string; name: string }[] } | null | undefined;

/**
 * The host's node and the libraries it loads, for the network agent (pod-net-agent.ts): bound
 * under /run/breakfix and started through the dynamic loader with --library-path, so the
 * container's own /lib stays the image's.
 */
export function hostNode(): { node: string; interp: string; libs: { src: string; name: string }[] } | null {
  if (nodeCache !== undefined) return nodeCache;
  nodeCache = null;
  const r = spawnSync("ldd", [process.execPath], { encoding: "utf8" });
  if (r.status !== 0) return null;
  const libs: { src: string; name: string }[] = [];
  let interp = "";
  for (const line of r.stdout.split("\n")) {
    const withName = /^\s*(\S+)\s+=>\s+(\/\S+)\s+\(0x/.exec(line);
    const bare = /^\s*(\/\S+)\s+\(0x/.exec(line);
    if (withName) libs.push({ name: withName[1]!, src: fs.realpathSync(withName[2]!) });
    else if (bare) interp = fs.realpathSync(bare[1]!);
  }
  if (!interp) return null;
  nodeCache = { node: fs.realpathSync(process.execPath), interp, libs };
  return nodeCache;
}

/** bwrap's argv up to (not including) the command. */
export function podBwrapArgs(spec: PodSandboxSpec): string[] {
  const { fs: cfs } = spec;
  const a: string[] = ["--unshare-user", "--uid", "0", "--gid", "0", "--unshare-net", "--unshare-ipc", "--unshare-pid", "--unshare-uts", "--hostname", spec.hostname, "--die-with-parent"];
  a.push("--bind", cfs.root, "/");
  if (spec.busybox) a.push("--ro-bind", spec.busybox, "/bin/busybox");
  const bash = spec.bash ? hostBash() : null;
  if (bash) {
    a.push("--ro-bind", bash.bin, "/bin/bash");
    for (const l of bash.libs) a.push("--ro-bind", fs.realpathSync(l), l);
  }
  a.push("--proc", "/proc", "--dev", "/dev");
  a.push("--bind", cfs.etcFiles.hosts, "/etc/hosts", "--bind", cfs.etcFiles.resolvConf, "/etc/resolv.conf", "--bind", cfs.etcFiles.hostname, "/etc/hostname");
  // Shorter mount paths first, so a mount inside another volume lands on top of it.
  for (const m of [...cfs.mounts].sort((x, y) => x.mountPath.length - y.mountPath.length)) a.push(m.readOnly ? "--ro-bind" : "--bind", m.source, m.mountPath);
  for (const b of spec.extraBinds ?? []) a.push(b.rw ? "--bind" : "--ro-bind", b.source, b.target);
  const node = spec.net ? hostNode() : null;
  if (spec.net && node) {
    a.push("--ro-bind", node.node, "/run/breakfix/node", "--ro-bind", node.interp, "/run/breakfix/lib/ld.so");
    for (const l of node.libs) a.push("--ro-bind", l.src, `/run/breakfix/lib/${l.name}`);
    a.push("--ro-bind", spec.net.agentJs, "/run/breakfix/pod-net.cjs", "--bind", spec.net.socket, "/run/breakfix/net.sock");
  }
  a.push("--chdir", spec.workingDir ?? "/", "--clearenv");
  for (const [k, v] of Object.entries(spec.env)) a.push("--setenv", k, v);
  // Without a TTY the command gets a session of its own, so it cannot reach the server's terminal (TIOCSTI).
  if (!spec.tty) a.push("--new-session");
  return a;
}

function limitPrefix(l: PodSandboxLimits): string[] {
  if (prlimitPath === undefined) prlimitPath = which("prlimit", ["/usr/bin/prlimit", "/bin/prlimit"]);
  if (!prlimitPath) return [];
  return [prlimitPath, `--fsize=${l.fileBytes}`, `--as=${l.memoryBytes}`, `--cpu=${l.cpuSeconds}`, "--"];
}

/** Starts the command in its sandbox. Throws when bubblewrap or busybox is missing. */
export function startPodSandbox(spec: PodSandboxSpec, io: PodSandboxIo): PodSandboxProcess {
  const avail = podSandboxAvailable();
  if (!avail) throw new Error("pod sandboxes need bubblewrap and a static busybox on the host");
  const limits = spec.limits ?? (spec.tty ? TTY_LIMITS : EXEC_LIMITS);
  const pre = limitPrefix(limits);
  const file = pre[0] ?? avail.bwrap;
  const agent = spec.net && hostNode() ? ["/run/breakfix/lib/ld.so", "--library-path", "/run/breakfix/lib", "/run/breakfix/node", "/run/breakfix/pod-net.cjs"] : [];
  const args = [...pre.slice(1), ...(pre.length ? [avail.bwrap] : []), ...podBwrapArgs(spec), "--", ...agent, ...spec.argv];
  let out = 0;
  let limitHit = false;
  const count = (n: number, kill: () => void) => {
    out += n;
    if (out > limits.outputBytes && !limitHit) {
      limitHit = true;
      kill();
    }
  };
  if (spec.tty) {
    const term = loadPty().spawn(file, args, { name: "xterm", cols: 80, rows: 24, env: { TERM: "xterm" } });
    const kill = () => term.kill("SIGKILL");
    term.onData((d) => {
      const b = Buffer.from(d, "utf8");
      count(b.length, kill);
      if (!limitHit) io.stdout(b);
    });
    const timer = setTimeout(() => ((limitHit = true), kill()), limits.wallMs);
    const done = new Promise<number>((resolve) =>
      term.onExit(({ exitCode, signal }) => {
        clearTimeout(timer);
        resolve(limitHit ? 137 : signal ? 128 + signal : exitCode);
      }),
    );
    return {
      write: (d) => term.write(d.toString("utf8")),
      endStdin: () => undefined,
      resize: (cols, rows) => {
        if (cols > 0 && rows > 0) term.resize(cols, rows);
      },
      kill,
      done,
    };
  }
  const child = spawn(file, args, { stdio: ["pipe", "pipe", "pipe"] });
  const kill = () => child.kill("SIGKILL");
  child.stdout.on("data", (d: Buffer) => {
    count(d.length, kill);
    if (!limitHit) io.stdout(d);
  });
  child.stderr.on("data", (d: Buffer) => {
    count(d.length, kill);
    if (!limitHit) io.stderr(d);
  });
  // A closed stdin (the command did not read it all) is not an error of the exec.
  child.stdin.on("error", () => undefined);
  const timer = setTimeout(() => ((limitHit = true), kill()), limits.wallMs);
  const done = new Promise<number>((resolve) => {
    child.on("error", () => resolve(126));
    child.on("close", (code, sig) => {
      clearTimeout(timer);
      resolve(limitHit ? 137 : (code ?? (sig === "SIGKILL" ? 137 : 128 + 15)));
    });
  });
  return {
    write: (d) => {
      if (child.stdin.writable) child.stdin.write(d);
    },
    endStdin: () => child.stdin.end(),
    resize: () => undefined,
    kill,
    done,
  };
}
