import { generateKeyPair } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * A directory of pre-generated RSA 2048 keys shared by the sim clusters of one data dir. RSA key
 * generation is most of a cluster's start-up (a dozen keys for kubeadm's PKI), so each cluster,
 * once serving, tops the pool up for the next one, which then starts in a fraction of the time.
 * A key is claimed by an atomic rename, so two starting clusters never share one.
 */

/** About what one cluster's kubeadm PKI uses. */
export const KEY_POOL_TARGET = 24;

let poolDir: string | null = null;

/** Makes RSA key generation in this process take keys from `dir` first. */
export function setKeyPoolDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  poolDir = dir;
}

/** A pooled RSA private key (PKCS#8 PEM), or null when the pool is empty or unset. */
export function takePooledRsaKey(): string | null {
  if (!poolDir) return null;
  let names: string[];
  try {
    names = fs.readdirSync(poolDir).filter((n) => n.endsWith(".pem"));
  } catch {
    return null;
  }
  for (const n of names) {
    const from = path.join(poolDir, n);
    const claimed = `${from}.${process.pid}.claimed`;
    try {
      fs.renameSync(from, claimed);
    } catch {
      continue; // another process took it
    }
    try {
      return fs.readFileSync(claimed, "utf8");
    } finally {
      fs.rmSync(claimed, { force: true });
    }
  }
  return null;
}

/** Generates keys in the background until the pool holds `target`. Never throws. */
export async function refillKeyPool(target: number, signal?: AbortSignal): Promise<void> {
  const dir = poolDir;
  if (!dir) return;
  for (;;) {
    if (signal?.aborted) return;
    let count: number;
    try {
      count = fs.readdirSync(dir).filter((n) => n.endsWith(".pem")).length;
    } catch {
      return;
    }
    if (count >= target) return;
    const pem = await new Promise<string | null>((resolve) =>
      generateKeyPair("rsa", { modulusLength: 2048 }, (err, _pub, key) => resolve(err ? null : key.export({ type: "pkcs8", format: "pem" }).toString())),
    );
    if (!pem) return;
    const name = `${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    try {
      fs.writeFileSync(path.join(dir, `${name}.tmp`), pem, { mode: 0o600 });
      fs.renameSync(path.join(dir, `${name}.tmp`), path.join(dir, `${name}.pem`));
    } catch {
      return;
    }
  }
}
