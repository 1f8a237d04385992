import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resignCertificate } from "./resign-certificate";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-resign-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const f = (n: string) => path.join(tmp, n);
const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: tmp, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** A CA and an apiserver-like serving certificate, made the way kubeadm makes them. */
function makePki(keyKind: "rsa" | "ec") {
  const keyArgs = keyKind === "rsa" ? ["-newkey", "rsa:2048"] : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
  openssl("req", "-x509", ...keyArgs, "-nodes", "-keyout", f(`${keyKind}-ca.key`), "-out", f(`${keyKind}-ca.crt`), "-days", "3650", "-subj", "/CN=kubernetes",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign");
  if (keyKind === "rsa") {
    // kubeadm writes PKCS#1 keys ("BEGIN RSA PRIVATE KEY"); make sure those load too.
    openssl("rsa", "-in", f("rsa-ca.key"), "-out", f("rsa-ca.key"), "-traditional");
  }
  fs.writeFileSync(f("ext.cnf"), [
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=serverAuth",
    "authorityKeyIdentifier=keyid",
    "subjectAltName=DNS:kind-control-plane,DNS:kubernetes,DNS:kubernetes.default,DNS:localhost,IP:10.96.0.1,IP:172.18.0.2,IP:127.0.0.1",
    "",
  ].join("\n"));
  openssl("req", "-new", ...keyArgs, "-nodes", "-keyout", f(`${keyKind}-srv.key`), "-out", f(`${keyKind}-srv.csr`), "-subj", "/CN=kube-apiserver");
  openssl("x509", "-req", "-in", f(`${keyKind}-srv.csr`), "-CA", f(`${keyKind}-ca.crt`), "-CAkey", f(`${keyKind}-ca.key`), "-CAcreateserial",
    "-out", f(`${keyKind}-srv.crt`), "-days", "365", "-extfile", f("ext.cnf"));
  return {
    caCertPem: fs.readFileSync(f(`${keyKind}-ca.crt`), "utf8"),
    caKeyPem: fs.readFileSync(f(`${keyKind}-ca.key`), "utf8"),
    certPem: fs.readFileSync(f(`${keyKind}-srv.crt`), "utf8"),
  };
}

const extensionsOf = (text: string) =>
  text.slice(text.indexOf("X509v3 extensions:"), text.indexOf("Signature Algorithm:", text.indexOf("X509v3 extensions:")));

describe.each(["rsa", "ec"] as const)("resignCertificate with a %s CA", (kind) => {
  const pki = makePki(kind);
  const notBefore = new Date("2024-01-01T00:00:00Z");
  const notAfter = new Date("2025-01-01T00:00:00Z");

  it("issues an already-expired certificate that the node's CA verifies", async () => {
    const pem = await resignCertificate({ ...pki, notBefore, notAfter });
    const out = new X509Certificate(pem);
    const ca = new X509Certificate(pki.caCertPem);
    expect(out.verify(ca.publicKey)).toBe(true);
    expect(out.checkIssued(ca)).toBe(true);
    expect(new Date(out.validTo).getTime()).toBe(notAfter.getTime());
    expect(new Date(out.validTo).getTime()).toBeLessThan(Date.now());
    fs.writeFileSync(f(`${kind}-expired.crt`), pem);
    // openssl agrees: the signature chains to the CA, and the certificate has expired.
    openssl("verify", "-CAfile", f(`${kind}-ca.crt`), "-no_check_time", f(`${kind}-expired.crt`));
    expect(() => openssl("verify", "-CAfile", f(`${kind}-ca.crt`), f(`${kind}-expired.crt`))).toThrow(/expired/);
  });

  it("keeps the subject, the public key (so the old key file still matches) and every extension", async () => {
    const pem = await resignCertificate({ ...pki, notBefore, notAfter });
    const before = new X509Certificate(pki.certPem);
    const after = new X509Certificate(pem);
    expect(after.subject).toBe(before.subject);
    expect(after.subjectAltName).toBe(before.subjectAltName);
    expect(after.publicKey.export({ type: "spki", format: "pem" })).toBe(before.publicKey.export({ type: "spki", format: "pem" }));
    expect(after.serialNumber).not.toBe(before.serialNumber);
    fs.writeFileSync(f(`${kind}-after.crt`), pem);
    const textBefore = openssl("x509", "-in", f(`${kind}-srv.crt`), "-noout", "-text");
    const textAfter = openssl("x509", "-in", f(`${kind}-after.crt`), "-noout", "-text");
    expect(extensionsOf(textAfter)).toBe(extensionsOf(textBefore));
    expect(textAfter).toContain("TLS Web Server Authentication");
    expect(textAfter).toContain("IP Address:10.96.0.1");
  });
});
