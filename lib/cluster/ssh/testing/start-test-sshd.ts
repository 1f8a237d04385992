import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const SSHD = "/usr/sbin/sshd";

/** Why the sshd integration tests cannot run here, or null when they can. */
export function sshdUnavailableReason(): string | null {
  if (!fs.existsSync(SSHD)) return `${SSHD} is not installed (apt-get install openssh-server)`;
  for (const bin of ["ssh", "ssh-keygen", "ssh-keyscan"]) {
    try {
      execFileSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" });
    } catch {
      return `${bin} is not installed (apt-get install openssh-client)`;
    }
  }
  return null;
}

export interface TestSshd {
  port: number;
  dir: string;
  /** Private key that the server accepts (for the cluster file's `key`). */
  clientKey: string;
  user: string;
  /** The server's public host key line ("ssh-ed25519 AAAA…"). */
  hostKey(): string;
  /** Makes the fake sudo refuse like a sudo that wants a password (or accept again). */
  denySudo(deny: boolean): void;
  /** How many times the fake sudo ran a command. */
  sudoCalls(): number;
  /** Stops the server, makes a new host key and starts again on the same port. */
  regenerateHostKey(): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/** Resolves once something on the port sends an SSH banner; rejects after timeoutMs. */
function waitForBanner(port: number, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = net.connect(port, "127.0.0.1");
      sock.once("data", (d) => {
        sock.destroy();
        if (d.toString().startsWith("SSH-")) resolve();
        else reject(new Error(`port ${port} answered without an SSH banner`));
      });
      sock.once("error", () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`test sshd did not listen on 127.0.0.1:${port} within ${timeoutMs} ms. Its log:\n${log()}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/**
 * A real OpenSSH server for tests: loopback only, a throwaway host key and client key, its own
 * config (no PAM, no passwords), running as the current user. The caller must stop() it.
 */
export async function startTestSshd(): Promise<TestSshd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-sshd-"));
  const port = await freePort();
  const hostKeyFile = path.join(dir, "ssh_host_ed25519_key");
  const clientKey = path.join(dir, "client_ed25519");
  const keygen = (file: string) => execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "breakfix-test", "-f", file]);
  keygen(hostKeyFile);
  keygen(clientKey);
  fs.copyFileSync(`${clientKey}.pub`, path.join(dir, "authorized_keys"));
  const user = os.userInfo().username;
  // sudo is not installed here (and would ask nothing of root anyway); a stand-in on the
  // sessions' PATH checks that the driver calls it as `sudo -n -- argv…` and then runs argv.
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(
    path.join(bin, "sudo"),
    [
      "#!/bin/sh",
      `[ -e '${dir}/sudo-denied' ] && { echo 'sudo: a password is required' >&2; exit 1; }`,
      `[ "$1" = "-n" ] || { echo "fake sudo: expected -n, got $1" >&2; exit 2; }; shift`,
      `[ "$1" = "--" ] || { echo "fake sudo: expected --, got $1" >&2; exit 2; }; shift`,
      `echo x >> '${dir}/sudo-calls'`,
      'exec "$@"',
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  fs.writeFileSync(
    path.join(dir, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${hostKeyFile}`,
      `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      "UsePAM no",
      "StrictModes no",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PubkeyAuthentication yes",
      "PermitRootLogin prohibit-password",
      `AllowUsers ${user}`,
      "X11Forwarding no",
      "AllowTcpForwarding no",
      "PrintMotd no",
      `SetEnv PATH=${bin}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin`,
      "LogLevel ERROR",
      "",
    ].join("\n"),
  );
  // sshd running as root insists on its privilege-separation directory, which Debian's service
  // unit would create; in a container nobody has.
  if (process.getuid?.() === 0) fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });

  let child: ChildProcess | undefined;
  let log = "";
  const start = async () => {
    log = "";
    child = spawn(SSHD, ["-D", "-e", "-f", path.join(dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
    await waitForBanner(port, 10_000, () => log);
  };
  const stopChild = () =>
    new Promise<void>((resolve) => {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return resolve();
      c.once("exit", () => resolve());
      c.kill("SIGTERM");
    });

  await start();
  return {
    port,
    dir,
    clientKey,
    user,
    hostKey: () => fs.readFileSync(`${hostKeyFile}.pub`, "utf8").trim().split(" ").slice(0, 2).join(" "),
    denySudo(deny: boolean) {
      if (deny) fs.writeFileSync(path.join(dir, "sudo-denied"), "");
      else fs.rmSync(path.join(dir, "sudo-denied"), { force: true });
    },
    sudoCalls: () => {
      try {
        return fs.readFileSync(path.join(dir, "sudo-calls"), "utf8").split("\n").filter(Boolean).length;
      } catch {
        return 0;
      }
    },
    async regenerateHostKey() {
      await stopChild();
      fs.rmSync(hostKeyFile);
      fs.rmSync(`${hostKeyFile}.pub`);
      keygen(hostKeyFile);
      await start();
    },
    async stop() {
      await stopChild();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
