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

function ctxFor(port: number, tlsServerName?: string): ScenarioContext {
  const caData = fs.readFileSync(f("cluster-ca.crt")).toString("base64");
  const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster: { server: "https://127.0.0.1:${port}", certificate-authority-data: ${caData}${tlsServerName ? `, tls-server-name: ${tlsServerName}` : ""} }
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

  it("asks for the certificate by the kubeconfig's tls-server-name, as kubectl does", async () => {
    const ctxOf = (n: string) => tls.createSecureContext({ cert: fs.readFileSync(f(`${n}.crt`), "utf8"), key: fs.readFileSync(f(`${n}.key`), "utf8") });
    // Behind a port forward: the right certificate only for the cluster's name, another by default.
    const server = tls.createServer({ cert: fs.readFileSync(f("foreign.crt"), "utf8"), key: fs.readFileSync(f("foreign.key"), "utf8"), SNICallback: (name, cb) => cb(null, ctxOf(name === "api.lab.internal" ? "good" : "foreign")) }, (s) => s.end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    servers.push(server);
    const port = (server.address() as net.AddressInfo).port;
    expect((await checks.servedCertValidFor({ days: 30 })(ctxFor(port, "api.lab.internal"))).ok).toBe(true);
    expect((await checks.servedCertValidFor({ days: 30 })(ctxFor(port))).ok).toBe(false);
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

/** A context whose kubectl answers as a real kubectl v1.32 did (../shared/fidelity/README.md). */
function ctxWithKubectl(answer: { code: number; stdout?: string; stderr?: string }): ScenarioContext {
  return { kubectl: async () => ({ stdout: "", stderr: "", ...answer }) } as unknown as ScenarioContext;
}

describe("checks.apiAnswers on kubectl's real answers", () => {
  const failing = (stderr: string, code = 1) => checks.apiAnswers()(ctxWithKubectl({ code, stderr }));

  it("passes /readyz answering ok", async () => {
    expect(await checks.apiAnswers()(ctxWithKubectl({ code: 0, stdout: "ok" }))).toEqual({ ok: true, message: "The API server answers and is ready." });
  });

  it.each([
    ["refuses connections", "The connection to the server 192.0.2.2:6443 was refused - did you specify the right host or port?\n", "the API server refused the connection"],
    [
      "times out on etcd",
      "Error from server (Timeout): the server was unable to return a response in the time allotted, but may still be processing the request (get nodes)\n",
      "the API server did not answer in time",
    ],
    [
      "serves an expired certificate",
      "Unable to connect to the server: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-11-21T07:32:57Z is after 2025-01-01T00:00:00Z\n",
      "the TLS connection to the API server failed",
    ],
    [
      "answers /readyz with its failing checks, which are not repeated",
      'Error from server (InternalError): an error on the server ("[+]ping ok\\n[+]log ok\\n[-]etcd failed: reason withheld\\n[+]informer-sync ok\\nreadyz check failed") has prevented the request from succeeding\n',
      "the API server answered with an error (InternalError)",
    ],
  ])("fails when the API server %s", async (_what, stderr, actual) => {
    expect(await failing(stderr)).toEqual({ ok: false, message: "The API server is not answering requests yet.", detail: { actual, expected: "/readyz answers ok" } });
  });

  it("fails when kubectl itself gives up (the check's own bound)", async () => {
    const r = await failing("kubectl get --raw /readyz: timed out after 2500 ms\n", 124);
    expect(r.detail).toEqual({ actual: "the API server did not answer in time", expected: "/readyz answers ok" });
  });

  it("fails a /readyz that answers something other than ok", async () => {
    expect(await checks.apiAnswers()(ctxWithKubectl({ code: 0, stdout: "[-]shutdown failed\nreadyz check failed\n" }))).toEqual({
      ok: false,
      message: "The API server is not answering requests yet.",
      detail: { actual: "/readyz says [-]shutdown failed", expected: "/readyz answers ok" },
    });
  });
});

describe("checks.objectExists on kubectl's real answers", () => {
  it("tells a missing object from an API server that does not answer", async () => {
    const gone = await checks.objectExists({ kind: "configmap", namespace: "shop", name: "s" })(
      ctxWithKubectl({ code: 1, stderr: 'Error from server (NotFound): configmaps "s" not found\n' }),
    );
    expect(gone).toEqual({
      ok: false,
      message: "Something that existed before the problem started is gone: configmap shop/s.",
      detail: { actual: "configmap shop/s not found", expected: "configmap shop/s exists" },
    });
    const silent = await checks.objectExists({ kind: "configmap", namespace: "shop", name: "s" })(
      ctxWithKubectl({ code: 1, stderr: "The connection to the server 192.0.2.2:6443 was refused - did you specify the right host or port?\n" }),
    );
    expect(silent).toEqual({
      ok: false,
      message: "The API server is not answering, so configmap shop/s cannot be confirmed yet.",
      detail: { actual: "the API server refused the connection", expected: "configmap shop/s exists" },
    });
  });

  it("finds a cluster-scoped object without a namespace", async () => {
    const r = await checks.objectExists({ kind: "clusterrole", name: "view" })(ctxWithKubectl({ code: 0, stdout: '{"kind":"ClusterRole","metadata":{"name":"view"}}' }));
    expect(r).toEqual({ ok: true, message: "clusterrole view is still there." });
  });
});

describe("checks.allOf, checks.until and checks.stays", () => {
  const pass = async () => ({ ok: true, message: "fine" });
  const fail = (message: string) => async () => ({ ok: false, message, detail: { actual: "a", expected: "b" } });
  const ctx = {} as ScenarioContext;

  it("allOf passes when all pass and reports the first failure in order", async () => {
    expect(await checks.allOf(pass, pass)(ctx)).toEqual({ ok: true, message: "All passed." });
    expect(await checks.allOf(pass, fail("first"), fail("second"))(ctx)).toMatchObject({ ok: false, message: "first" });
  });

  it("until returns once the check passes, and quotes the last message and detail when it gives up", async () => {
    let n = 0;
    const waitCtx = {
      waitFor: <T>(fn: () => Promise<T | undefined | false>, o: { timeoutMs: number; what: string; intervalMs?: number }) =>
        import("./wait-for").then(({ waitFor }) => waitFor(fn, o)),
    } as unknown as ScenarioContext;
    await checks.until(waitCtx, async () => (++n >= 3 ? { ok: true, message: "ok" } : { ok: false, message: "not yet" }), { timeoutMs: 2000, intervalMs: 5, what: "three tries" });
    expect(n).toBe(3);
    await expect(checks.until(waitCtx, fail("still broken"), { timeoutMs: 30, intervalMs: 5, what: "the fix" })).rejects.toThrow(
      /waiting for the fix \(last error: still broken \(a; expected b\)\)/,
    );
  });

  it("stays sets the hold window and keeps everything else", () => {
    const check = { id: "x", title: "X", points: 2, run: pass };
    expect(checks.stays(check, 20)).toEqual({ ...check, holdSeconds: 20 });
  });
});

