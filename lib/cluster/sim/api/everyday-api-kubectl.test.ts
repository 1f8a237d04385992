import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batteryDriver, batterySkipReason, startBatteryCluster, type BatteryCluster } from "@/lib/testing/battery-cluster";
import { toolsSkipReason } from "@/lib/testing/required-tools";

/**
 * The everyday API a CKA candidate touches beyond workloads, through the real kubectl: the CSR
 * flow (openssl req → CertificateSigningRequest → approve → a client certificate that
 * authenticates), ComponentStatus, /metrics and server-side dry runs with kubectl diff. Runs on
 * the sim by default and unchanged on kind (BREAKFIX_BATTERY_DRIVER=kind).
 */

const run = promisify(execFile);
const reason = (await batterySkipReason("everyday-api-kubectl.test.ts")) ?? toolsSkipReason({ suite: "everyday-api-kubectl.test.ts", tools: ["openssl"] });

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(reason !== null)(`everyday API through kubectl (${batteryDriver()})${reason ? ` (skipped: ${reason})` : ""}`, () => {
  let c: BatteryCluster;
  beforeAll(async () => {
    // The node side gives the sim its control-plane static pods, which ComponentStatus probes.
    c = await startBatteryCluster({ suite: "everyday", nodeSide: true });
  }, 300_000);
  afterAll(() => c?.stop(), 300_000);

  /** `openssl req` as the CKA task does it: a key and a PKCS#10 request for the subject. */
  async function opensslRequest(name: string, subj: string, opts: { ec?: boolean; san?: string } = {}): Promise<{ key: string; csr: string }> {
    const key = path.join(c.dir, `${name}.key`);
    const csr = path.join(c.dir, `${name}.csr`);
    if (opts.ec) await run("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key]);
    else await run("openssl", ["genrsa", "-out", key, "2048"]);
    await run("openssl", ["req", "-new", "-key", key, "-subj", subj, "-out", csr, ...(opts.san ? ["-addext", `subjectAltName=${opts.san}`] : [])]);
    return { key, csr };
  }

  function csrYaml(name: string, csrFile: string, spec: Record<string, unknown>): string {
    const request = Buffer.from(fs.readFileSync(csrFile)).toString("base64");
    return YAML.stringify({ apiVersion: "certificates.k8s.io/v1", kind: "CertificateSigningRequest", metadata: { name }, spec: { request, ...spec } });
  }

  const certificateOf = (name: string) =>
    until(`the certificate of ${name}`, async () => {
      const r = await c.kubectl(["get", "csr", name, "-o", "jsonpath={.status.certificate}"]);
      return r.code === 0 && r.stdout.trim() ? Buffer.from(r.stdout.trim(), "base64").toString("utf8") : undefined;
    });

  const conditionOf = async (name: string) => {
    const r = await c.kubectl(["get", "csr", name, "--no-headers"]);
    return r.stdout.trim().split(/\s+/).at(-1);
  };

  it("runs the CKA CSR flow: create, approve, fetch the certificate and authenticate with it", async () => {
    const { key, csr } = await opensslRequest("jane", "/CN=jane/O=developers");
    const created = await c.kubectl(["apply", "-f", "-"], {
      input: csrYaml("jane", csr, { signerName: "kubernetes.io/kube-apiserver-client", expirationSeconds: 86400, usages: ["client auth"] }),
    });
    expect(created.stderr).toBe("");
    expect(created.stdout).toBe("certificatesigningrequest.certificates.k8s.io/jane created\n");

    const pending = await c.kubectl(["get", "csr", "jane"]);
    const [head, row] = pending.stdout.trim().split("\n");
    expect(head!.split(/\s+/)).toEqual(["NAME", "AGE", "SIGNERNAME", "REQUESTOR", "REQUESTEDDURATION", "CONDITION"]);
    expect(row!.split(/\s+/)).toEqual(["jane", expect.stringMatching(/^\d+s$/), "kubernetes.io/kube-apiserver-client", "kubernetes-admin", "24h", "Pending"]);
    // The requester is whoever created it, whatever the manifest says.
    const spec = JSON.parse((await c.kubectl(["get", "csr", "jane", "-o", "json"])).stdout).spec;
    expect(spec.username).toBe("kubernetes-admin");
    expect(spec.groups).toContain("system:authenticated");

    const approved = await c.kubectl(["certificate", "approve", "jane"]);
    expect(approved.stderr).toBe("");
    expect(approved.stdout).toBe("certificatesigningrequest.certificates.k8s.io/jane approved\n");
    const pem = await certificateOf("jane");
    expect(await conditionOf("jane")).toBe("Approved,Issued");
    const cond = JSON.parse((await c.kubectl(["get", "csr", "jane", "-o", "json"])).stdout).status.conditions[0];
    expect(cond).toMatchObject({ type: "Approved", status: "True", reason: "KubectlApprove", message: "This CSR was approved by kubectl certificate approve." });

    const crt = new X509Certificate(pem);
    expect(crt.subject.split("\n").sort()).toEqual(["CN=jane", "O=developers"]);
    expect(crt.issuer).toBe("CN=kubernetes");
    const hours = (Date.parse(crt.validTo) - Date.parse(crt.validFrom)) / 3600_000;
    // 24 h asked; the signer backdates notBefore by 5 minutes and, for a long-lived certificate, notAfter too.
    expect(hours).toBe(24);
    expect(Date.parse(crt.validFrom)).toBeLessThan(Date.now() - 4 * 60_000);

    // kubectl get csr jane -o jsonpath='{.status.certificate}' | base64 -d > jane.crt, then a kubeconfig user.
    const crtFile = path.join(c.dir, "jane.crt");
    fs.writeFileSync(crtFile, pem);
    const kc = YAML.parse(c.kubeconfigText) as { users: { name: string; user: Record<string, string> }[] };
    kc.users = [{ name: kc.users[0]!.name, user: { "client-certificate": crtFile, "client-key": key } }];
    const janeConfig = path.join(c.dir, "jane.kubeconfig");
    fs.writeFileSync(janeConfig, YAML.stringify(kc));
    const whoami = await c.kubectl(["auth", "whoami"], { kubeconfig: janeConfig });
    expect(whoami.stderr).toBe("");
    expect(whoami.stdout).toMatch(/^ATTRIBUTE\s+VALUE\nUsername\s+jane\nGroups\s+\[developers system:authenticated\]\n$/);
    const pods = await c.kubectl(["get", "pods"], { kubeconfig: janeConfig });
    expect(pods.stderr).not.toMatch(/Unauthorized|must be logged in/);
  });

  it("denies, refuses approving a denied request, and shows Denied", async () => {
    const { csr } = await opensslRequest("mallory", "/CN=mallory", { ec: true });
    expect((await c.kubectl(["create", "-f", "-"], { input: csrYaml("mallory", csr, { signerName: "kubernetes.io/kube-apiserver-client", usages: ["client auth"] }) })).code).toBe(0);
    const denied = await c.kubectl(["certificate", "deny", "mallory"]);
    expect(denied.stdout).toBe("certificatesigningrequest.certificates.k8s.io/mallory denied\n");
    expect(await conditionOf("mallory")).toBe("Denied");
    const again = await c.kubectl(["certificate", "approve", "mallory"]);
    expect(again.stderr).toBe('error: certificate signing request "mallory" is already Denied\n');
    // kubectl refuses by itself (even with --force); the apiserver refuses too.
    const obj = JSON.parse((await c.kubectl(["get", "csr", "mallory", "-o", "json"])).stdout);
    obj.status.conditions.push({ type: "Approved", status: "True", reason: "Manual", message: "approve anyway" });
    const raw = await c.kubectl(["replace", "--raw", "/apis/certificates.k8s.io/v1/certificatesigningrequests/mallory/approval", "-f", "-"], { input: JSON.stringify(obj) });
    expect(raw.code).toBe(1);
    expect(raw.stderr).toContain('status.conditions[1].type: Invalid value: "Approved": Approved and Denied conditions are mutually exclusive');
    const row = (await c.kubectl(["get", "csr", "mallory", "--no-headers"])).stdout.trim().split(/\s+/);
    expect(row.slice(2)).toEqual(["kubernetes.io/kube-apiserver-client", "kubernetes-admin", "<none>", "Denied"]);
  });

  it("validates requests as the apiserver does", async () => {
    const { csr } = await opensslRequest("v", "/CN=v", { ec: true });
    const noSigner = await c.kubectl(["create", "-f", "-"], { input: csrYaml("v1", csr, { usages: ["client auth"] }) });
    expect(noSigner.stderr).toContain('The CertificateSigningRequest "v1" is invalid: spec.signerName: Required value: signerName must be provided');
    const noUsages = await c.kubectl(["create", "-f", "-"], { input: csrYaml("v2", csr, { signerName: "example.com/x" }) });
    expect(noUsages.stderr).toContain("spec.usages: Required value: usages must be provided");
    const badUsage = await c.kubectl(["create", "-f", "-"], { input: csrYaml("v3", csr, { signerName: "example.com/x", usages: ["client-auth"] }) });
    expect(badUsage.stderr).toContain('spec.usages[0]: Unsupported value: "client-auth": supported values: "any", "cert sign", "client auth"');
    const short = await c.kubectl(["create", "-f", "-"], { input: csrYaml("v4", csr, { signerName: "example.com/x", usages: ["client auth"], expirationSeconds: 60 }) });
    expect(short.stderr).toContain("spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds (10 minutes)");
    const notPem = await c.kubectl(["create", "-f", "-"], {
      input: YAML.stringify({ apiVersion: "certificates.k8s.io/v1", kind: "CertificateSigningRequest", metadata: { name: "v5" }, spec: { request: Buffer.from("hello").toString("base64"), signerName: "example.com/x", usages: ["client auth"] } }),
    });
    expect(notPem.stderr).toContain("spec.request: Invalid value: []byte{0x68, 0x65, 0x6c, 0x6c, 0x6f}: PEM block type must be CERTIFICATE REQUEST");
    const masters = await opensslRequest("root", "/CN=root/O=system:masters", { ec: true });
    const forbidden = await c.kubectl(["create", "-f", "-"], { input: csrYaml("root", masters.csr, { signerName: "kubernetes.io/kube-apiserver-client", usages: ["client auth"] }) });
    expect(forbidden.stderr).toContain('certificatesigningrequests.certificates.k8s.io "root" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed');
  });

  it("signs kubelet-serving requests that follow the rules and fails the others", async () => {
    const node = await opensslRequest("node", "/O=system:nodes/CN=system:node:worker-9", { ec: true, san: "DNS:worker-9,IP:172.18.0.9" });
    await c.kubectl(["create", "-f", "-"], { input: csrYaml("serving-ok", node.csr, { signerName: "kubernetes.io/kubelet-serving", usages: ["digital signature", "server auth"], expirationSeconds: 600 }) });
    expect((await c.kubectl(["certificate", "approve", "serving-ok"])).code).toBe(0);
    const crt = new X509Certificate(await certificateOf("serving-ok"));
    expect(crt.subjectAltName).toBe("DNS:worker-9, IP Address:172.18.0.9");
    // 600 s is short-lived: notAfter is not backdated, notBefore is (5 minutes).
    expect((Date.parse(crt.validTo) - Date.parse(crt.validFrom)) / 60_000).toBe(15);
    expect((await c.kubectl(["get", "csr", "serving-ok", "--no-headers"])).stdout).toMatch(/\s10m\s+Approved,Issued\n$/);

    const wrong = await opensslRequest("wrongnode", "/O=system:nodes/CN=worker-9", { ec: true, san: "DNS:worker-9" });
    await c.kubectl(["create", "-f", "-"], { input: csrYaml("serving-bad", wrong.csr, { signerName: "kubernetes.io/kubelet-serving", usages: ["digital signature", "server auth"] }) });
    await c.kubectl(["certificate", "approve", "serving-bad"]);
    const failed = await until("the Failed condition", async () => {
      const conds = JSON.parse((await c.kubectl(["get", "csr", "serving-bad", "-o", "json"])).stdout).status.conditions as { type: string; reason?: string; message?: string }[];
      return conds.find((x) => x.type === "Failed");
    });
    expect(failed).toMatchObject({ reason: "SignerValidationFailure", message: "subject common name does not begin with system:node:" });
    expect(await conditionOf("serving-bad")).toBe("Approved,Failed");
  });

  it("fails a client request with server usages and leaves an unknown signer's request unsigned", async () => {
    const { csr } = await opensslRequest("usage", "/CN=usage", { ec: true });
    await c.kubectl(["create", "-f", "-"], { input: csrYaml("usage", csr, { signerName: "kubernetes.io/kube-apiserver-client", usages: ["server auth"] }) });
    await c.kubectl(["certificate", "approve", "usage"]);
    const failed = await until("the Failed condition", async () => {
      const conds = JSON.parse((await c.kubectl(["get", "csr", "usage", "-o", "json"])).stdout).status.conditions as { type: string; message?: string }[];
      return conds.find((x) => x.type === "Failed");
    });
    expect(failed.message).toBe("invalid usage for client certificate: server auth");

    await c.kubectl(["create", "-f", "-"], { input: csrYaml("other", csr, { signerName: "example.com/my-signer", usages: ["client auth"] }) });
    await c.kubectl(["certificate", "approve", "other"]);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await conditionOf("other")).toBe("Approved");
  });

  it("lists CSRs under the short name csr in api-resources and explains them", async () => {
    const r = await c.kubectl(["api-resources", "--api-group=certificates.k8s.io"]);
    expect(r.stdout).toMatch(/certificatesigningrequests\s+csr\s+certificates\.k8s\.io\/v1\s+false\s+CertificateSigningRequest/);
    const explain = await c.kubectl(["explain", "csr.spec.signerName"]);
    expect(explain.stdout).toContain("FIELD: signerName <string>");
    expect(explain.stdout).toContain("signerName indicates the requested signer, and is a qualified name.");
  });

  it("prints component statuses with the deprecation warning", async () => {
    const cs = await c.kubectl(["get", "componentstatuses"]);
    expect(cs.stderr).toBe("Warning: v1 ComponentStatus is deprecated in v1.19+\n");
    const lines = cs.stdout.trim().split("\n").map((l) => l.trim().split(/\s+/));
    expect(lines[0]).toEqual(["NAME", "STATUS", "MESSAGE", "ERROR"]);
    expect(lines.slice(1).sort()).toEqual([
      ["controller-manager", "Healthy", "ok"],
      ["etcd-0", "Healthy", "ok"],
      ["scheduler", "Healthy", "ok"],
    ]);
    const one = await c.kubectl(["get", "cs", "etcd-0", "-o", "json"]);
    expect(JSON.parse(one.stdout)).toMatchObject({ kind: "ComponentStatus", apiVersion: "v1", metadata: { name: "etcd-0" }, conditions: [{ type: "Healthy", status: "True", message: "ok" }] });
  });

  it.skipIf(batteryDriver() !== "sim")("reports a stopped scheduler as the apiserver's probe sees it (sim: moves the static pod manifest)", async () => {
    const manifests = path.join(c.dir, "nodes", "nodes", c.nodes[0]!, "etc/kubernetes/manifests");
    fs.renameSync(path.join(manifests, "kube-scheduler.yaml"), path.join(c.dir, "kube-scheduler.yaml"));
    try {
      const row = await until("the scheduler to be reported Unhealthy", async () => {
        const r = await c.kubectl(["get", "cs", "--no-headers"]);
        return r.stdout.split("\n").find((l) => l.startsWith("scheduler ") && l.includes("Unhealthy"));
      }, 60_000);
      expect(row.split(/\s{2,}/)).toEqual(["scheduler", "Unhealthy", 'Get "https://127.0.0.1:10259/healthz": dial tcp 127.0.0.1:10259: connect: connection refused']);
    } finally {
      fs.renameSync(path.join(c.dir, "kube-scheduler.yaml"), path.join(manifests, "kube-scheduler.yaml"));
    }
    await until("the scheduler to be Healthy again", async () => (await c.kubectl(["get", "cs", "scheduler", "--no-headers"])).stdout.includes("Healthy   ok"), 60_000);
  });
});
