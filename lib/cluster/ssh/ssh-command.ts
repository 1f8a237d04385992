import { InputError } from "@/lib/errors";
import { quoteArgv } from "./quote-argv";
import type { SshNodeConfig } from "./ssh-clusters-file";

export interface SshTarget {
  node: SshNodeConfig;
  /** known_hosts file ssh checks the host key against (see known-hosts.ts). */
  knownHosts: string;
  connectTimeoutSeconds: number;
}

/**
 * A file path as the value of an ssh `-o Key=value` option. ssh expands %-tokens and ~ in these
 * paths and splits the value on whitespace unless it is double-quoted, so % is doubled and a path
 * with whitespace is quoted. A path containing a double quote cannot be expressed and is refused.
 */
export function sshPathValue(p: string): string {
  if (p.includes('"')) throw new InputError(`ssh cannot use a path containing a double quote: ${p}`);
  const escaped = p.replaceAll("%", "%%");
  return /\s/.test(escaped) ? `"${escaped}"` : escaped;
}

/**
 * ssh options shared by node commands and shells. `-F none` so that nothing in ~/.ssh/config
 * changes how the driver connects; BatchMode so that ssh never prompts (a prompt would hang a
 * lab); StrictHostKeyChecking=yes with the driver's own known_hosts and UpdateHostKeys=no so
 * that a key is never accepted or learnt implicitly; IdentitiesOnly so that only the configured
 * key is offered.
 */
export function sshOptions(t: SshTarget): string[] {
  const o = (kv: string) => ["-o", kv];
  return [
    "-F", "none",
    ...o("BatchMode=yes"),
    ...o(`ConnectTimeout=${t.connectTimeoutSeconds}`),
    ...o("StrictHostKeyChecking=yes"),
    ...o(`UserKnownHostsFile=${sshPathValue(t.knownHosts)}`),
    ...o("GlobalKnownHostsFile=/dev/null"),
    ...o("UpdateHostKeys=no"),
    ...o("CheckHostIP=no"),
    ...o("IdentitiesOnly=yes"),
    ...o(`IdentityFile=${sshPathValue(t.node.key)}`),
    ...o("PasswordAuthentication=no"),
    ...o("KbdInteractiveAuthentication=no"),
    ...o("ServerAliveInterval=15"),
    ...o("ServerAliveCountMax=4"),
    ...o("LogLevel=ERROR"),
    "-p", String(t.node.port),
    "-l", t.node.user,
  ];
}

/** The remote command line for argv: quoted, and run through `sudo -n` when the node needs it. */
export function remoteCommand(node: SshNodeConfig, argv: readonly string[]): string {
  return quoteArgv(node.sudo ? ["sudo", "-n", "--", ...argv] : argv);
}

/**
 * ssh argv (without the program) that runs argv on the node without a tty. Killing the local
 * ssh does not stop the remote command (without a tty nothing signals it), so the command runs
 * under coreutils `timeout` on the node, a second after the local bound: a timed-out `crictl`
 * or `sleep` does not linger on the learner's node.
 */
export function sshExecArgs(t: SshTarget, argv: readonly string[], timeoutMs: number): string[] {
  const remoteSeconds = String(Math.ceil(timeoutMs / 1000) + 1);
  return [...sshOptions(t), "-T", "--", t.node.host, remoteCommand(t.node, ["timeout", "-k", "5", remoteSeconds, ...argv])];
}

/** ssh argv for an interactive login shell (root's, through sudo when the user is not root). */
export function sshShellArgs(t: SshTarget): string[] {
  return [...sshOptions(t), "-t", "--", t.node.host, remoteCommand(t.node, ["bash", "-l"])];
}
