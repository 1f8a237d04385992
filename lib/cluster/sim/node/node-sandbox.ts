import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { TimeoutError, UnavailableError } from "@/lib/errors";
import type { ExecOptions, ExecResult, ShellSpec } from "@/lib/cluster/types";
import { API_FORWARDER_JS } from "./api-forwarder";
import { NODE_TOOL_CLIENT_JS, toolWrapper } from "./node-tool-client";
import { NODE_TOOL_NAMES } from "./tools/node-tools";

/**
 * A node shell: real bash inside bubblewrap, with the node's own tree at /etc, /var and /root, the
 * host's /usr read-only (kubectl, openssl, vi, sed, grep are the host's), the node tools ahead on
 * PATH, the hostname set to the node's name and, on the control plane, KUBECONFIG pointing at
 * admin.conf as kind sets it.
 *
 * An interactive shell has a network namespace of its own (`--unshare-net`: only `lo`), so no
 * service on the host's loopback and no other lab's API answers from it. Its own cluster's API is
 * bridged in at the same 127.0.0.1:<port> by api-forwarder.ts over a bind-mounted unix socket;
 * the node tools already talk to the node agent over a unix socket. Non-interactive exec (pack
 * and grader code on the server, never a learner's input) keeps the host's network, so each
 * check's command costs no forwarder start.
 */

export const BWRAP_INSTALL_HINT = "Install bubblewrap: sudo apt-get install bubblewrap (Fedora: sudo dnf install bubblewrap).";

/** Host files under /etc that host programs need (vi's alternatives symlinks, openssl's config, …). */
const HOST_ETC = ["/etc/alternatives", "/etc/ssl", "/etc/vim", "/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf", "/etc/terminfo", "/etc/inputrc"];

export interface SandboxPaths {
  /** The node's root (holds etc/, var/, root/). */
  root: string;
  /** Directory with the node tool wrappers, mounted ahead on PATH. */
  toolsDir: string;
  /** The client program the wrappers run. */
  clientJs: string;
  /** The node agent's unix socket. */
  agentSocket: string;
  /** The API bridge's unix socket (api-bridge.ts), for shells with their own network namespace. */
  apiBridgeSocket: string;
  /** The forwarder program run inside such a shell (api-forwarder.ts). */
  forwarderJs: string;
}

/**
 * "isolated": a network namespace of its own with only the cluster's API bridged in (node
 * shells). "host": the host's network namespace (exec, and the benchmark's baseline).
 */
export type SandboxNetwork = "isolated" | "host";

export interface SandboxNode {
  name: string;
  role: "control-plane" | "worker";
}

let bwrapChecked: { path: string } | null = null;

/** Finds bwrap among `candidates` or on PATH; throws UnavailableError with the install command when it is missing. */
export function findBwrap(candidates = ["/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"], pathLookup = true): string {
  for (const p of candidates) if (fs.existsSync(p)) return p;
  if (pathLookup && spawnSync("bwrap", ["--version"], { encoding: "utf8" }).status === 0) return "bwrap";
  throw new UnavailableError("Node shells of the simulated cluster need bubblewrap (bwrap), which is not installed.", { hint: BWRAP_INSTALL_HINT });
}

/** findBwrap, remembered once found. */
export function requireBwrap(): string {
  bwrapChecked ??= { path: findBwrap() };
  return bwrapChecked.path;
}

/** Writes the tool wrappers, the client program and the API forwarder; idempotent. */
export function installNodeTools(paths: Pick<SandboxPaths, "toolsDir" | "clientJs" | "forwarderJs">): void {
  const { toolsDir, clientJs } = paths;
  fs.mkdirSync(toolsDir, { recursive: true });
  fs.mkdirSync(path.dirname(clientJs), { recursive: true });
  fs.writeFileSync(clientJs, NODE_TOOL_CLIENT_JS, { mode: 0o644 });
  fs.mkdirSync(path.dirname(paths.forwarderJs), { recursive: true });
  fs.writeFileSync(paths.forwarderJs, API_FORWARDER_JS, { mode: 0o644 });
  for (const t of NODE_TOOL_NAMES) fs.writeFileSync(path.join(toolsDir, t), toolWrapper(t), { mode: 0o755 });
}

/** Makes the mountpoints for host /etc entries inside the node's etc, so bwrap never has to. */
function prepareMountpoints(root: string): string[] {
  const binds: string[] = [];
  for (const p of HOST_ETC) {
    if (!fs.existsSync(p)) continue;
    const target = path.join(root, p);
    if (!fs.existsSync(target)) {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (fs.statSync(p).isDirectory()) fs.mkdirSync(target, { recursive: true });
      else fs.writeFileSync(target, "");
    }
    binds.push("--ro-bind", p, p);
  }
  return binds;
}

const PATH_VALUE = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** The environment a node shell starts with (kind's `docker exec` env plus a prompt). */
export function nodeEnv(node: SandboxNode, interactive: boolean): Record<string, string> {
  const env: Record<string, string> = {
    PATH: PATH_VALUE,
    HOME: "/root",
    HOSTNAME: node.name,
    LANG: "C.UTF-8",
    container: "docker",
  };
  if (node.role === "control-plane") env.KUBECONFIG = "/etc/kubernetes/admin.conf";
  if (interactive) {
    env.TERM = "xterm-256color";
    env.PS1 = `root@${node.name}:\\w# `;
  }
  return env;
}

/** bwrap's argv up to (not including) the command. */
export function bwrapArgs(node: SandboxNode, paths: SandboxPaths, opts: { interactive: boolean; network?: SandboxNetwork }): string[] {
  const args: string[] = [];
  // A user namespace even when breakfix runs as root: the shell's root then holds its
  // capabilities only inside the sandbox (no mknod of the host's disks, no kernel modules, no
  // host network configuration), while uid 0 still maps to root for the node's files.
  args.push("--unshare-user", "--uid", "0", "--gid", "0");
  args.push("--ro-bind", "/usr", "/usr");
  for (const d of ["bin", "sbin", "lib", "lib32", "lib64", "libx32"]) {
    const p = `/${d}`;
    if (!fs.existsSync(p)) continue;
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) args.push("--symlink", fs.readlinkSync(p), p);
    else args.push("--ro-bind", p, p);
  }
  args.push(
    "--bind", path.join(paths.root, "etc"), "/etc",
    ...prepareMountpoints(paths.root),
    "--bind", path.join(paths.root, "var"), "/var",
    "--bind", path.join(paths.root, "root"), "/root",
    "--proc", "/proc",
    "--dev", "/dev",
    "--tmpfs", "/tmp",
    "--tmpfs", "/run",
    "--ro-bind", paths.toolsDir, "/usr/local/sbin",
    "--ro-bind", paths.clientJs, "/run/breakfix/node-tool.cjs",
    "--ro-bind", process.execPath, "/run/breakfix/node",
    "--bind", paths.agentSocket, "/run/breakfix/agent.sock",
  );
  if (opts.network === "isolated") {
    args.push(
      "--unshare-net",
      "--ro-bind", paths.forwarderJs, "/run/breakfix/api-forwarder.cjs",
      "--bind", paths.apiBridgeSocket, "/run/breakfix/api-bridge.sock",
    );
  }
  args.push(
    "--unshare-uts", "--hostname", node.name,
    "--unshare-ipc",
    "--unshare-pid",
    "--die-with-parent",
    "--chdir", "/",
    "--clearenv",
  );
  for (const [k, v] of Object.entries(nodeEnv(node, opts.interactive))) args.push("--setenv", k, v);
  // A non-interactive exec gets its own session so it cannot push input into the caller's terminal.
  if (!opts.interactive) args.push("--new-session");
  return args;
}

/**
 * Starts the API forwarder and waits (5 s at most) for its "ready" line before the login shell
 * replaces this bash, so the first kubectl at the prompt already finds the port in the state the
 * API is in. The forwarder holds neither the terminal nor stdin, and prints nothing into it. A
 * non-interactive bash drops PS1 from its environment, so the prompt comes back as $1.
 */
const START_FORWARDER_THEN_LOGIN =
  'read -r -t 5 _ < <(exec /run/breakfix/node /run/breakfix/api-forwarder.cjs </dev/null 2>/dev/null); export PS1="$1"; exec /bin/bash --login';

/** What node-pty (or the CLI) spawns for an interactive node shell; `network` defaults to "isolated". */
export function nodeShellSpec(node: SandboxNode, paths: SandboxPaths, opts: { network?: SandboxNetwork } = {}): ShellSpec {
  const bwrap = requireBwrap();
  const network = opts.network ?? "isolated";
  if (network === "host") return { file: bwrap, args: [...bwrapArgs(node, paths, { interactive: true, network }), "/bin/bash", "--login"], env: { TERM: "xterm-256color" } };
  if (!fs.existsSync(paths.apiBridgeSocket)) {
    throw new UnavailableError(`Node ${node.name} has no API bridge, so a shell there could not reach its cluster's API.`, {
      hint: "The sim cluster is still starting, was stopped, or was started by an older breakfix; recreate it.",
    });
  }
  const args = [...bwrapArgs(node, paths, { interactive: true, network }), "/bin/bash", "-c", START_FORWARDER_THEN_LOGIN, "bash", nodeEnv(node, true).PS1 ?? ""];
  return { file: bwrap, args, env: { TERM: "xterm-256color" } };
}

/** Runs argv inside the node's sandbox; never through a shell string. */
export function execInNode(node: SandboxNode, paths: SandboxPaths, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const bwrap = requireBwrap();
  if (!argv.length) return Promise.resolve({ code: 2, stdout: "", stderr: "exec: no command given\n" });
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise<ExecResult>((resolve, reject) => {
    const child = spawn(bwrap, [...bwrapArgs(node, paths, { interactive: false }), "--", ...argv], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    const onAbort = () => child.kill("SIGKILL");
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new UnavailableError(`Could not start bubblewrap for node ${node.name}: ${err.message}`, { hint: BWRAP_INSTALL_HINT, cause: err }));
    });
    child.on("close", (code, sig) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      if (timedOut) return reject(new TimeoutError(`Timed out after ${timeoutMs} ms waiting for \`${argv.join(" ")}\` on node ${node.name}.`));
      resolve({ code: code ?? (sig ? 128 + 9 : 1), stdout, stderr });
    });
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
  });
}
