import { spawn } from "node:child_process";
import { TimeoutError, UnavailableError } from "@/lib/errors";
import type { ExecResult } from "@/lib/cluster/types";
import { knownHostsPattern } from "./known-hosts";
import { sshExecArgs, type SshTarget } from "./ssh-command";

/** Output beyond this is cut (a runaway `cat` must not fill the server's memory). */
const MAX_OUTPUT = 16 * 1024 * 1024;

/** The environment ssh gets: no agent socket, so only the configured key is ever used. */
export function sshEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  if (process.env.HOME) env.HOME = process.env.HOME;
  if (process.env.USER) env.USER = process.env.USER;
  return env;
}

/**
 * Turns ssh's own failures (exit 255 plus a recognisable message) into errors that say what to do.
 * A remote command that itself exits 255 without such a message is returned as a result.
 */
export function classifySshFailure(t: SshTarget, stderr: string): Error | null {
  const where = `node ${t.node.name} (${t.node.user}@${knownHostsPattern(t.node.host, t.node.port)})`;
  const said = stderr.trim().split("\n").slice(-1)[0] ?? "";
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/.test(stderr)) {
    return new UnavailableError(
      `Refusing to connect to ${where}: its host key has changed since it was trusted. Someone may be intercepting the connection, or the node was reinstalled.`,
      {
        hint: `Confirm the new fingerprint on the node's console (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub). Only then run: npm run ssh-cluster -- forget <cluster> --node ${t.node.name}, and trust again (or update hostKey in the cluster file).`,
      },
    );
  }
  if (/No \S+ host key is known for|Host key verification failed/.test(stderr)) {
    return new UnavailableError(`Refusing to connect to ${where}: its host key is not trusted yet.`, {
      hint: t.node.hostKey
        ? "The node does not offer the hostKey pinned in the cluster file; check the file."
        : `Trust it explicitly once: npm run ssh-cluster -- trust <cluster> (it prints the fingerprints it records), or pin hostKey in the cluster file.`,
    });
  }
  if (/Permission denied \(/.test(stderr)) {
    return new UnavailableError(`ssh to ${where} was refused: the key ${t.node.key} was not accepted.`, {
      hint: `Add the public key to ~${t.node.user}/.ssh/authorized_keys on the node, and check the user name.`,
    });
  }
  if (/Identity file .* not accessible|Load key .*:/.test(stderr)) {
    return new UnavailableError(`ssh to ${where} cannot use the key file ${t.node.key}: ${said}`, {
      hint: "Check the key path in the cluster file and that the file is readable (mode 600) and has no passphrase.",
    });
  }
  if (/timed out|Connection refused|No route to host|Could not resolve hostname|Network is unreachable|Connection closed by|Connection reset/.test(stderr)) {
    return new UnavailableError(`${where} cannot be reached over ssh: ${said}`, {
      hint: `Check that the machine is up, that sshd listens on port ${t.node.port}, and that this server can reach it (connect timeout ${t.connectTimeoutSeconds}s).`,
    });
  }
  return null;
}

export interface RunSshOptions {
  stdin?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Runs argv on a node through the system ssh. Throws on ssh's own failures and on timeout. */
export function runSsh(t: SshTarget, argv: readonly string[], opts: RunSshOptions): Promise<ExecResult> {
  const args = sshExecArgs(t, argv, opts.timeoutMs);
  const what = `"${argv.join(" ").slice(0, 80)}" on node ${t.node.name}`;
  return new Promise<ExecResult>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new TimeoutError(`${what} was cancelled before it started.`));
      return;
    }
    const child = spawn("ssh", args, {
      stdio: [opts.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      // Next's types make NODE_ENV mandatory in ProcessEnv; ssh gets exactly this small env.
      env: sshEnv() as NodeJS.ProcessEnv,
    });
    let stdout = "";
    let stderr = "";
    let settled = false;
    const take = (acc: string, d: Buffer) => (acc.length < MAX_OUTPUT ? acc + d.toString() : acc);
    child.stdout!.on("data", (d: Buffer) => (stdout = take(stdout, d)));
    child.stderr!.on("data", (d: Buffer) => (stderr = take(stderr, d)));
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      fn();
    };
    const kill = () => {
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 2000).unref();
    };
    const timer = setTimeout(() => {
      kill();
      finish(() => reject(new TimeoutError(`${what} did not finish within ${opts.timeoutMs} ms.`)));
    }, opts.timeoutMs);
    const onAbort = () => {
      kill();
      finish(() => reject(new TimeoutError(`${what} was cancelled.`)));
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    child.on("error", (err) =>
      finish(() => reject(new UnavailableError(`The ssh client cannot run: ${err.message}`, { hint: "Install openssh-client." }))),
    );
    child.on("close", (code, sig) =>
      finish(() => {
        const exit = code ?? (sig ? 128 : 1);
        if (exit === 255) {
          const failure = classifySshFailure(t, stderr);
          if (failure) return reject(failure);
        }
        resolve({ code: exit, stdout, stderr });
      }),
    );
    if (opts.stdin !== undefined && child.stdin) {
      child.stdin.on("error", () => undefined); // the remote side may exit before reading it all
      child.stdin.end(opts.stdin);
    }
  });
}
