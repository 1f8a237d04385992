import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ConflictError, UnavailableError } from "@/lib/errors";
import type { SshNodeConfig } from "./ssh-clusters-file";
import { knownHostsFile } from "./ssh-state-dir";

/**
 * Host-key trust for the ssh driver. ssh always runs with StrictHostKeyChecking=yes against a
 * file the driver owns, so a key is only ever accepted if it was written there on purpose:
 * either pinned in the cluster file (`hostKey`), or recorded by the explicit
 * `npm run ssh-cluster -- trust <cluster>` step, which prints the fingerprints it records.
 * A changed key is never replaced silently; `forget` must be run first.
 */

/** The host pattern ssh looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsPattern(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export interface HostKey {
  type: string;
  base64: string;
}

/** SHA256 fingerprint as `ssh-keygen -l` prints it. */
export function fingerprint(key: HostKey): string {
  const digest = createHash("sha256").update(Buffer.from(key.base64, "base64")).digest("base64");
  return `SHA256:${digest.replace(/=+$/, "")}`;
}

/** Keys recorded for a host pattern in a known_hosts file the driver wrote (not hashed). */
export function readKnownKeys(file: string, pattern: string): HostKey[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const keys: HostKey[] = [];
  for (const line of text.split("\n")) {
    const [hosts, type, base64] = line.trim().split(/\s+/);
    if (!hosts || !type || !base64 || hosts.startsWith("#")) continue;
    if (hosts.split(",").includes(pattern)) keys.push({ type, base64 });
  }
  return keys;
}

/**
 * The known_hosts file ssh should use for this node: a file holding only the pinned key when
 * the config pins one, the driver's trust file otherwise.
 */
export function knownHostsFor(stateDir: string, node: SshNodeConfig): string {
  if (!node.hostKey) return knownHostsFile(stateDir);
  const pattern = knownHostsPattern(node.host, node.port);
  const line = `${pattern} ${node.hostKey}\n`;
  const name = createHash("sha256").update(line).digest("hex").slice(0, 16);
  const file = path.join(stateDir, "pinned", `${name}.known_hosts`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, line, { mode: 0o600 });
  }
  return file;
}

/** Whether ssh has a key to check this node against (pinned or trusted). */
export function isTrusted(stateDir: string, node: SshNodeConfig): boolean {
  return Boolean(node.hostKey) || readKnownKeys(knownHostsFile(stateDir), knownHostsPattern(node.host, node.port)).length > 0;
}

/** Asks the node for its host keys with ssh-keyscan (no authentication involved). */
export async function scanHostKeys(node: SshNodeConfig, timeoutSeconds = 10): Promise<HostKey[]> {
  const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn("ssh-keyscan", ["-T", String(timeoutSeconds), "-p", String(node.port), "--", node.host], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (err) => reject(new UnavailableError(`ssh-keyscan cannot run: ${err.message}`, { hint: "Install openssh-client." })));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
  const keys: HostKey[] = [];
  for (const line of out.stdout.split("\n")) {
    const [, type, base64] = line.trim().split(/\s+/);
    if (type && base64 && !line.startsWith("#")) keys.push({ type, base64 });
  }
  if (!keys.length) {
    throw new UnavailableError(`Node ${node.name} (${node.host}:${node.port}) did not send a host key.`, {
      hint: `Check that sshd runs there and that this machine can reach it. ssh-keyscan said: ${out.stderr.trim() || "(nothing)"}`,
    });
  }
  return keys;
}

export interface TrustResult {
  node: string;
  pattern: string;
  /** Fingerprints newly recorded. */
  added: string[];
  /** Fingerprints that were already trusted. */
  known: string[];
  pinned: boolean;
}

/**
 * Records the node's current host keys in the driver's known_hosts. Refuses with ConflictError
 * when a different key is already recorded: a changed key needs `forget` first.
 */
export async function trustNode(stateDir: string, node: SshNodeConfig): Promise<TrustResult> {
  const pattern = knownHostsPattern(node.host, node.port);
  const scanned = await scanHostKeys(node);
  if (node.hostKey) {
    const [type, base64] = node.hostKey.split(" ") as [string, string];
    const pinnedKey = { type, base64 };
    if (!scanned.some((k) => k.base64 === base64)) {
      throw new ConflictError(
        `Node ${node.name} (${pattern}) does not offer the host key pinned in the cluster file (${fingerprint(pinnedKey)}); it offers ${scanned.map(fingerprint).join(", ")}.`,
        { hint: "Check the node's /etc/ssh/ssh_host_*_key.pub and fix hostKey in the cluster file." },
      );
    }
    return { node: node.name, pattern, added: [], known: [fingerprint(pinnedKey)], pinned: true };
  }
  const file = knownHostsFile(stateDir);
  const recorded = readKnownKeys(file, pattern);
  if (recorded.length) {
    const same = scanned.filter((s) => recorded.some((r) => r.type === s.type && r.base64 === s.base64));
    const changed = scanned.filter((s) => recorded.some((r) => r.type === s.type && r.base64 !== s.base64));
    if (changed.length || !same.length) {
      throw new ConflictError(
        `The host key of node ${node.name} (${pattern}) differs from the one trusted earlier (now ${scanned.map(fingerprint).join(", ")}; trusted ${recorded.map(fingerprint).join(", ")}).`,
        {
          hint: `If the node was reinstalled, confirm the new fingerprint on its console (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then run: npm run ssh-cluster -- forget <cluster> --node ${node.name}, and trust again. Otherwise someone may be intercepting the connection.`,
        },
      );
    }
    return { node: node.name, pattern, added: [], known: same.map(fingerprint), pinned: false };
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.appendFileSync(file, scanned.map((k) => `${pattern} ${k.type} ${k.base64}\n`).join(""), { mode: 0o600 });
  return { node: node.name, pattern, added: scanned.map(fingerprint), known: [], pinned: false };
}

/** Removes every recorded key of the node from the driver's known_hosts. Returns how many. */
export function forgetNode(stateDir: string, node: SshNodeConfig): number {
  const file = knownHostsFile(stateDir);
  const pattern = knownHostsPattern(node.host, node.port);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return 0;
  }
  const lines = text.split("\n").filter(Boolean);
  const kept = lines.filter((l) => !(l.trim().split(/\s+/)[0] ?? "").split(",").includes(pattern));
  fs.writeFileSync(file, kept.map((l) => `${l}\n`).join(""), { mode: 0o600 });
  return lines.length - kept.length;
}
