import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { refillKeyPool, setKeyPoolDir, takePooledRsaKey } from "./key-pool";
import { createCa, issueCert, readCert } from "./x509";

describe("RSA key pool", () => {
  it("fills to a target, hands each key out once, and x509 uses pooled keys", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "key-pool-"));
    setKeyPoolDir(dir);
    await refillKeyPool(3);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith(".pem"))).toHaveLength(3);
    const a = takePooledRsaKey();
    expect(a).toContain("BEGIN PRIVATE KEY");
    expect(fs.readdirSync(dir).filter((n) => n.endsWith(".pem"))).toHaveLength(2);
    const ca = await createCa({ commonName: "kubernetes" });
    const leaf = await issueCert({ ca, commonName: "x", extKeyUsage: ["clientAuth"] });
    expect(readCert(leaf.certPem).commonName).toBe("x");
    expect(fs.readdirSync(dir).filter((n) => n.endsWith(".pem"))).toHaveLength(0);
    expect(takePooledRsaKey()).toBeNull();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);
});
