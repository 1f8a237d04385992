import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checks, sameImage } from "./checks";
import type { ScenarioContext } from "./context";
import { k8sApis } from "./create-scenario-context";
import { resignCertificate } from "./resign-certificate";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-checks-"));
const f = (n: string) => path.join(tmp, n);
const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: tmp, stdio: ["ignore", "pipe", "pipe"] });

function makeCa(name: string) {
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f(`${name}.key`), "-out", f(`${name}.crt`), "-days", "3650", "-subj", `/CN=${name}`,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign");
}
function makeServerCert(ca: string, out: string, days: number) {
  fs.writeFileSync(f("ext.cnf"), "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n");
  openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", f(`${out}.key`), "-out", f(`${out}.csr`), "-subj", "/CN=kube-apiserver");
  openssl("x509", "-req", "-in", f(`${out}.csr`), "-CA", f(`${ca}.crt`), "-CAkey", f(`${ca}.key`), "-CAcreateserial", "-out", f(`${out}.crt`), "-days", String(days), "-extfile", f("ext.cnf"));
}

/** A TLS server presenting one certificate, like kube-apiserver's port. */
async function serve(certPem: string, keyPem: string): Promise<{ port: number; close: () => void }> {
  const server = tls.createServer({ cert: certPem, key: keyPem }, (s) => s.end());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

function ctxFor(port: number): ScenarioContext {
  const caData = fs.readFileSync(f("cluster-ca.crt")).toString("base64");
  const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster: { server: "https://127.0.0.1:${port}", certificate-authority-data: ${caData} }
users:
- name: admin
  user: { token: x }
contexts:
- name: lab
  context: { cluster: lab, user: admin }
current-context: lab
`;
  // servedCertValidFor only needs the kubeconfig; the rest of the context is never touched.
  return { k8s: k8sApis(kubeconfig) } as ScenarioContext;
}

const servers: { close: () => void }[] = [];
beforeAll(() => {
  makeCa("cluster-ca");
  makeCa("other-ca");
  makeServerCert("cluster-ca", "good", 365);
  makeServerCert("cluster-ca", "short", 10);
  makeServerCert("other-ca", "foreign", 365);
});
afterAll(() => {
  servers.forEach((s) => s.close());
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function check(cert: string, keyName: string) {
  const s = await serve(cert, fs.readFileSync(f(`${keyName}.key`), "utf8"));
  servers.push(s);
  return checks.servedCertValidFor({ days: 30 })(ctxFor(s.port));
}

describe("checks.servedCertValidFor over real TLS", () => {
  it("passes a certificate from the cluster CA valid for a year", async () => {
    const r = await check(fs.readFileSync(f("good.crt"), "utf8"), "good");
    expect(r.ok).toBe(true);
  });

  it("fails an expired reissue of the same certificate, without naming the cause", async () => {
    const expired = await resignCertificate({
      certPem: fs.readFileSync(f("good.crt"), "utf8"),
      caCertPem: fs.readFileSync(f("cluster-ca.crt"), "utf8"),
      caKeyPem: fs.readFileSync(f("cluster-ca.key"), "utf8"),
      notBefore: new Date(Date.now() - 400 * 86_400_000),
      notAfter: new Date(Date.now() - 2 * 86_400_000),
    });
    const r = await check(expired, "good");
    expect(r.ok).toBe(false);
    expect(r.message).toBe("The certificate the API server presents is not valid for long enough.");
    expect(r.detail?.expected).toBe("valid now and for at least 30 more days");
  });

  it("fails a certificate that expires too soon", async () => {
    const r = await check(fs.readFileSync(f("short.crt"), "utf8"), "short");
    expect(r.ok).toBe(false);
  });

  it("fails a certificate that another CA issued", async () => {
    const r = await check(fs.readFileSync(f("foreign.crt"), "utf8"), "foreign");
    expect(r).toMatchObject({ ok: false, message: "The API server presents a certificate that the cluster's CA did not issue." });
  });

  it("fails when nothing listens, saying the handshake did not happen", async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as net.AddressInfo).port;
    probe.close();
    const r = await checks.servedCertValidFor({ days: 30 })(ctxFor(port));
    expect(r).toMatchObject({ ok: false, message: "The API server does not complete a TLS handshake yet." });
    expect(r.detail?.actual).toBe("the API server refused the connection");
  });
});

describe("sameImage", () => {
  it("treats Docker Hub's short and long names alike, and different tags apart", () => {
    expect(sameImage("nginx:1.27", "docker.io/library/nginx:1.27")).toBe(true);
    expect(sameImage("nginx:1.27", "nginx:1.27-alpine")).toBe(false);
    expect(sameImage("registry.example.com/team/app:1.0", "registry.example.com/team/app:1.0")).toBe(true);
  });
});
