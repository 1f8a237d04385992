import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createCa, issueCert, readCert } from "./x509";

function openssl(args: string[], dir: string): string {
  return execFileSync("openssl", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

describe("x509 primitives", () => {
  it("issues a serving certificate that openssl verifies against its CA, with kubeadm's extensions", async () => {
    const ca = await createCa({ commonName: "kubernetes" });
    const leaf = await issueCert({
      ca,
      commonName: "kube-apiserver",
      dnsNames: ["localhost", "demo-control-plane", "kubernetes"],
      ipAddresses: ["127.0.0.1", "10.96.0.1"],
      extKeyUsage: ["serverAuth"],
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "x509-"));
    fs.writeFileSync(path.join(dir, "ca.crt"), ca.certPem);
    fs.writeFileSync(path.join(dir, "apiserver.crt"), leaf.certPem);
    expect(openssl(["verify", "-CAfile", "ca.crt", "apiserver.crt"], dir)).toContain("apiserver.crt: OK");
    const text = openssl(["x509", "-in", "apiserver.crt", "-noout", "-text"], dir);
    expect(text).toContain("DNS:localhost, DNS:demo-control-plane, DNS:kubernetes, IP Address:127.0.0.1, IP Address:10.96.0.1");
    expect(text).toContain("TLS Web Server Authentication");
    expect(text).toContain("CA:FALSE");
    expect(text).toContain("X509v3 Authority Key Identifier");
    expect(leaf.keyPem).toContain("BEGIN RSA PRIVATE KEY");
    const info = readCert(leaf.certPem);
    expect(info.commonName).toBe("kube-apiserver");
    expect(info.extKeyUsage).toEqual(["serverAuth"]);
    expect(info.keyUsage).toEqual(["digitalSignature", "keyEncipherment"]);
    expect(readCert(ca.certPem).isCa).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("honours arbitrary dates and organizations, and can reuse a key (kubeadm certs renew)", async () => {
    const ca = await createCa({ commonName: "kubernetes", algorithm: "ecdsa-p256" });
    const expired = await issueCert({
      ca,
      commonName: "kubernetes-admin",
      organizations: ["kubeadm:cluster-admins"],
      extKeyUsage: ["clientAuth"],
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2025-01-01T00:00:00Z"),
      algorithm: "ecdsa-p256",
    });
    const info = readCert(expired.certPem);
    expect(info.notAfter.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(info.organizations).toEqual(["kubeadm:cluster-admins"]);
    const renewed = await issueCert({ ca, commonName: "kubernetes-admin", existingKeyPem: expired.keyPem });
    expect(renewed.publicKeyPem).toBe(expired.publicKeyPem);
    expect(readCert(renewed.certPem).notAfter.getTime()).toBeGreaterThan(Date.now());
  });
});
