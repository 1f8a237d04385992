import https from "node:https";
import type net from "node:net";
import type tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { createCa, issueCert, type CertPem } from "@/lib/cluster/sim/pki/x509";
import { checks } from "./checks";
import type { NodeHandle, ScenarioContext } from "./context";
import { k8sApis } from "./create-scenario-context";

/**
 * checks.kubeconfigFileWorks against a fake API server over real mutual TLS. The server's
 * certificate names only `api.lab.internal` (as behind NAT or a port forward), so the lab's
 * kubeconfig reaches 127.0.0.1 with `tls-server-name: api.lab.internal`.
 */

const NAME = "api.lab.internal";
const PATH = "/etc/kubernetes/admin.conf";
const DAY = 86_400_000;
const b64 = (s: string) => Buffer.from(s).toString("base64");

let ca: CertPem;
let otherCa: CertPem;
let admin: CertPem;
let server: https.Server;
let port: number;

beforeAll(async () => {
  ca = await createCa({ commonName: "kubernetes", algorithm: "ecdsa-p256" });
  otherCa = await createCa({ commonName: "someone-else", algorithm: "ecdsa-p256" });
  const serving = await issueCert({ ca, commonName: "kube-apiserver", dnsNames: [NAME], extKeyUsage: ["serverAuth"], algorithm: "ecdsa-p256" });
  admin = await clientCert(ca, 365);
  // Like kube-apiserver: a client certificate is optional at the TLS layer and judged per request.
  server = https.createServer({ cert: serving.certPem, key: serving.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const authorized = (req.socket as tls.TLSSocket).authorized;
    res.writeHead(authorized ? 200 : 401, { "Content-Type": "application/json" });
    res.end(
      JSON.stringify(
        authorized
          ? { kind: "NodeList", apiVersion: "v1", metadata: {}, items: [] }
          : { kind: "Status", apiVersion: "v1", status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 },
      ),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => server?.close());

function clientCert(signer: CertPem, days: number, notBefore = new Date(Date.now() - 60_000)): Promise<CertPem> {
  return issueCert({
    ca: signer,
    commonName: "kubernetes-admin",
    organizations: ["system:masters"],
    extKeyUsage: ["clientAuth"],
    notBefore,
    notAfter: new Date(notBefore.getTime() + days * DAY),
    algorithm: "ecdsa-p256",
  });
}

/** A kubeconfig as kubeadm writes admin.conf; `cluster` and `user` override its fields. */
function kubeconfigText(opts: { cluster?: Record<string, unknown>; user?: Record<string, unknown>; caPem?: string } = {}): string {
  return YAML.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "lab", cluster: { server: `https://127.0.0.1:${port}`, "certificate-authority-data": b64(opts.caPem ?? ca.certPem), "tls-server-name": NAME, ...opts.cluster } }],
    users: [{ name: "admin", user: { "client-certificate-data": b64(admin.certPem), "client-key-data": b64(admin.keyPem), ...opts.user } }],
    contexts: [{ name: "lab", context: { cluster: "lab", user: "admin" } }],
    "current-context": "lab",
  });
}

/** The lab's own admin kubeconfig (what the checks trust) and a node whose files are `files`. */
function ctxWith(files: Record<string, string>, lab: { tlsServerName?: string | null } = {}): ScenarioContext {
  const labCluster = lab.tlsServerName === null ? { "tls-server-name": undefined } : lab.tlsServerName ? { "tls-server-name": lab.tlsServerName } : {};
  const node = (name: string): NodeHandle =>
    ({
      name,
      async readFile(p: string) {
        const text = files[p];
        if (text === undefined) throw new Error(`reading ${p} on node ${name} failed (exit 1): No such file or directory`);
        return text;
      },
    }) as NodeHandle;
  return { k8s: k8sApis(kubeconfigText({ cluster: labCluster })), controlPlane: "cp", workers: [], node } as unknown as ScenarioContext;
}

const run = (ctx: ScenarioContext) => checks.kubeconfigFileWorks({ path: PATH, validDays: 30 })(ctx);

describe("checks.kubeconfigFileWorks", () => {
  it("passes a good admin.conf through the lab's tls-server-name, when the served certificate names only that host", async () => {
    const r = await run(ctxWith({ [PATH]: kubeconfigText() }));
    expect(r).toMatchObject({ ok: true, message: expect.stringMatching(/^\/etc\/kubernetes\/admin\.conf works and its certificate is valid until \d{4}-\d\d-\d\d\.$/) });
  });

  it("cannot reach the same server without the tls-server-name (the name is what makes the pass)", async () => {
    const r = await run(ctxWith({ [PATH]: kubeconfigText() }, { tlsServerName: null }));
    expect(r).toEqual({
      ok: false,
      message: `The API server does not accept the credentials in ${PATH}.`,
      detail: { actual: "the TLS connection to the API server failed", expected: "the node list, as cluster admin" },
    });
  });

  it("ignores the file's own cluster section: a file pointing elsewhere still uses the lab's address", async () => {
    const r = await run(ctxWith({ [PATH]: kubeconfigText({ cluster: { server: "https://127.0.0.1:1", "tls-server-name": "elsewhere" } }) }));
    expect(r.ok).toBe(true);
  });

  it("fails a missing file", async () => {
    expect(await run(ctxWith({}))).toEqual({
      ok: false,
      message: `${PATH} cannot be read on cp.`,
      detail: { actual: "unreadable or missing", expected: "a kubeconfig file" },
    });
  });

  it.each([
    ["text that is not YAML", "clusters: [\n  - {"],
    ["a YAML list", "- a\n- b\n"],
  ])("fails %s as not a kubeconfig", async (_what, text) => {
    expect(await run(ctxWith({ [PATH]: text }))).toEqual({
      ok: false,
      message: `${PATH} is not a valid kubeconfig.`,
      detail: { actual: "unparsable", expected: "a kubeconfig file" },
    });
  });

  it("fails a file that skips verifying the API server", async () => {
    const r = await run(ctxWith({ [PATH]: kubeconfigText({ cluster: { "insecure-skip-tls-verify": true } }) }));
    expect(r).toEqual({
      ok: false,
      message: `${PATH} no longer checks who the API server is.`,
      detail: { actual: "insecure-skip-tls-verify: true", expected: "the API server verified against the cluster CA" },
    });
  });

  it("fails a file that trusts another CA", async () => {
    const r = await run(ctxWith({ [PATH]: kubeconfigText({ caPem: otherCa.certPem }) }));
    expect(r).toEqual({ ok: false, message: `${PATH} trusts a different CA than the cluster's.`, detail: { actual: "another CA", expected: "the cluster CA" } });
  });

  it("fails a file without embedded client credentials", async () => {
    const r = await run(ctxWith({ [PATH]: kubeconfigText({ user: { "client-certificate-data": undefined, "client-key-data": undefined, token: "x" } }) }));
    expect(r).toEqual({
      ok: false,
      message: `${PATH} holds no client certificate and key.`,
      detail: { actual: "none", expected: "embedded client certificate and key" },
    });
  });

  it("fails a client certificate that is not a certificate", async () => {
    const r = await run(ctxWith({ [PATH]: kubeconfigText({ user: { "client-certificate-data": b64("not a certificate") } }) }));
    expect(r).toEqual({
      ok: false,
      message: `${PATH} holds no client certificate and key.`,
      detail: { actual: "client-certificate-data is not a certificate", expected: "embedded client certificate and key" },
    });
  });

  it.each([
    ["expires within the required days", () => clientCert(ca, 10)],
    ["has expired", () => clientCert(ca, 365, new Date(Date.now() - 400 * DAY))],
  ])("fails a client certificate that %s", async (_what, make) => {
    const cert = await make();
    const r = await run(ctxWith({ [PATH]: kubeconfigText({ user: { "client-certificate-data": b64(cert.certPem), "client-key-data": b64(cert.keyPem) } }) }));
    expect(r).toMatchObject({
      ok: false,
      message: `The client certificate in ${PATH} is not valid for long enough.`,
      detail: { actual: expect.stringMatching(/^valid .+ to .+$/), expected: "valid now and for at least 30 more days" },
    });
  });

  it("fails credentials the API server rejects (a client certificate from another CA)", async () => {
    const foreign = await clientCert(otherCa, 365);
    const r = await run(ctxWith({ [PATH]: kubeconfigText({ user: { "client-certificate-data": b64(foreign.certPem), "client-key-data": b64(foreign.keyPem) } }) }));
    expect(r).toEqual({
      ok: false,
      message: `The API server does not accept the credentials in ${PATH}.`,
      detail: { actual: "the API server rejected the credentials (401)", expected: "the node list, as cluster admin" },
    });
  });

  it("with a user, passes only that user's certificate: the admin's copied over a component's kubeconfig fails", async () => {
    const asAdmin = await checks.kubeconfigFileWorks({ path: PATH, validDays: 30, user: "kubernetes-admin" })(ctxWith({ [PATH]: kubeconfigText() }));
    expect(asAdmin.ok).toBe(true);
    const asScheduler = await checks.kubeconfigFileWorks({ path: PATH, validDays: 30, user: "system:kube-scheduler" })(ctxWith({ [PATH]: kubeconfigText() }));
    expect(asScheduler).toEqual({
      ok: false,
      message: `${PATH} does not hold the credentials of system:kube-scheduler.`,
      detail: { actual: "a client certificate for kubernetes-admin", expected: "a client certificate for system:kube-scheduler" },
    });
  });
});
