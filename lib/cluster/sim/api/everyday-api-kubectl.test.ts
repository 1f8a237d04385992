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

// Each case runs a dozen kubectl processes (and waits for the signer): generous on a busy machine or on kind.
describe.skipIf(reason !== null)(`everyday API through kubectl (${batteryDriver()})${reason ? ` (skipped: ${reason})` : ""}`, { timeout: 120_000 }, () => {
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

  /** The value of one series in a /metrics text, or undefined. */
  function series(text: string, name: string, labels: Record<string, string>): number | undefined {
    const want = `${name}{${Object.entries(labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}="${v}"`)
      .join(",")}}`;
    const line = text.split("\n").find((l) => l.startsWith(`${want} `));
    return line === undefined ? undefined : Number(line.slice(want.length + 1));
  }

  it("serves /metrics in the Prometheus text format with counters that count", async () => {
    await c.kubectl(["create", "configmap", "metered", "--from-literal=a=b"]);
    const labels = { code: "200", component: "apiserver", dry_run: "", group: "", resource: "configmaps", scope: "resource", subresource: "", verb: "GET", version: "v1" };
    const before = await c.kubectl(["get", "--raw", "/metrics"]);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain("# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.\n# TYPE apiserver_request_total counter\n");
    const n0 = series(before.stdout, "apiserver_request_total", labels) ?? 0;
    for (let i = 0; i < 3; i++) expect((await c.kubectl(["get", "configmap", "metered"])).code).toBe(0);
    await c.kubectl(["get", "configmap", "not-there"]);
    await c.kubectl(["get", "configmaps", "-n", "default"]);
    const after = (await c.kubectl(["get", "--raw", "/metrics"])).stdout;
    expect(series(after, "apiserver_request_total", labels)! - n0).toBeGreaterThanOrEqual(3);
    expect(series(after, "apiserver_request_total", { ...labels, code: "404" })).toBeGreaterThanOrEqual(1);
    expect(series(after, "apiserver_request_total", { ...labels, scope: "namespace", verb: "LIST" })).toBeGreaterThanOrEqual(1);
    const { code: _code, ...durationLabels } = labels;
    expect(series(after, "apiserver_request_duration_seconds_count", durationLabels)).toBeGreaterThanOrEqual(3);
    const count = series(after, "apiserver_request_duration_seconds_count", durationLabels);
    const infLine = after.split("\n").find((l) => l.startsWith("apiserver_request_duration_seconds_bucket{") && l.includes('resource="configmaps",scope="resource",subresource="",verb="GET",version="v1",le="+Inf"}'));
    expect(infLine?.split(" ")[1]).toBe(String(count));
    // The /metrics request itself is in flight while the gauge is read.
    expect(series(after, "apiserver_current_inflight_requests", { request_kind: "readOnly" })).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(/\nprocess_start_time_seconds \d\.\d+e\+09\n/);
    expect(after).toContain("# TYPE apiserver_storage_objects gauge\n");
    const stored = series(after, "apiserver_storage_objects", { resource: "configmaps" });
    expect(stored).toBeGreaterThan(0);
    if (c.sim) {
      // The real apiserver samples storage every minute; the sim counts at each scrape.
      const count = (await c.kubectl(["get", "configmaps", "-A", "--no-headers"])).stdout.trim().split("\n").length;
      expect(stored).toBe(count);
    }
  });

  it("dry-runs create, apply, patch, replace and delete on the server, storing nothing", async () => {
    const create = await c.kubectl(["create", "configmap", "dry", "--from-literal=a=b", "--dry-run=server", "-o", "json"]);
    expect(create.stderr).toBe("");
    const created = JSON.parse(create.stdout);
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toBeTruthy();
    expect(created.metadata.resourceVersion).toBeUndefined();
    expect((await c.kubectl(["get", "configmap", "dry"])).stderr).toContain('configmaps "dry" not found');
    expect((await c.kubectl(["create", "configmap", "dry", "--from-literal=a=b", "--dry-run=server"])).stdout).toBe("configmap/dry created (server dry run)\n");

    const deploy = (replicas: number, extra = "") =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dry-web\n  namespace: default\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels: {app: dry-web}\n  template:\n    metadata:\n      labels: {app: dry-web${extra}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n`;
    expect((await c.kubectl(["apply", "-f", "-", "--dry-run=server"], { input: deploy(1) })).stdout).toBe("deployment.apps/dry-web created (server dry run)\n");
    expect((await c.kubectl(["get", "deployment", "dry-web"])).code).toBe(1);
    expect((await c.kubectl(["apply", "-f", "-"], { input: deploy(1) })).stdout).toBe("deployment.apps/dry-web created\n");
    const live = JSON.parse((await c.kubectl(["get", "deployment", "dry-web", "-o", "json"])).stdout);

    const applied = await c.kubectl(["apply", "-f", "-", "--dry-run=server", "-o", "json"], { input: deploy(3) });
    expect(applied.stderr).toBe("");
    const wouldBe = JSON.parse(applied.stdout);
    expect(wouldBe.spec.replicas).toBe(3);
    expect(wouldBe.metadata.generation).toBe(live.metadata.generation + 1);
    // Nothing was written: the resourceVersion is the live one (which the controller's status writes may have moved on).
    expect(Number(wouldBe.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(live.metadata.resourceVersion));
    expect(Number(wouldBe.metadata.resourceVersion)).toBeLessThanOrEqual(Number(JSON.parse((await c.kubectl(["get", "deployment", "dry-web", "-o", "json"])).stdout).metadata.resourceVersion));
    expect((await c.kubectl(["apply", "-f", "-", "--dry-run=server"], { input: deploy(3) })).stdout).toBe("deployment.apps/dry-web configured (server dry run)\n");
    expect((await c.kubectl(["patch", "deployment", "dry-web", "-p", '{"spec":{"replicas":5}}', "--dry-run=server"])).stdout).toBe("deployment.apps/dry-web patched\n"); // kubectl patch does not say "(server dry run)"
    expect((await c.kubectl(["replace", "-f", "-", "--dry-run=server"], { input: deploy(4) })).stdout).toBe("deployment.apps/dry-web replaced (server dry run)\n");
    expect((await c.kubectl(["delete", "deployment", "dry-web", "--dry-run=server"])).stdout).toBe('deployment.apps "dry-web" deleted (server dry run)\n');
    const still = JSON.parse((await c.kubectl(["get", "deployment", "dry-web", "-o", "json"])).stdout);
    expect(still.spec.replicas).toBe(1);
    // (its status moves on as the controller rolls it out, but its spec was never written)
    expect(still.metadata.generation).toBe(live.metadata.generation);

    // Validation and existence are still checked.
    const bad = await c.kubectl(["apply", "-f", "-", "--dry-run=server"], { input: deploy(1, ", tier: x").replace("matchLabels: {app: dry-web}", "matchLabels: {app: other}").replace("name: dry-web\n", "name: dry-bad\n") });
    expect(bad.stderr).toContain('The Deployment "dry-bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"dry-web", "tier":"x"}: `selector` does not match template `labels`');
    const exists = await c.kubectl(["create", "deployment", "dry-web", "--image=nginx:1.27", "--dry-run=server"]);
    expect(exists.stderr).toContain('deployments.apps "dry-web" already exists');

    const metrics = (await c.kubectl(["get", "--raw", "/metrics"])).stdout;
    expect(series(metrics, "apiserver_request_total", { code: "201", component: "apiserver", dry_run: "All", group: "", resource: "configmaps", scope: "resource", subresource: "", verb: "POST", version: "v1" })).toBeGreaterThanOrEqual(2);
  });

  it("diffs live objects against what the server would make of a manifest", async () => {
    const deploy = (replicas: number) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: diff-web\n  namespace: default\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels: {app: diff-web}\n  template:\n    metadata:\n      labels: {app: diff-web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n`;
    const fresh = await c.kubectl(["diff", "-f", "-"], { input: deploy(1) });
    expect(fresh.code).toBe(1);
    expect(fresh.stdout).toMatch(/^\+  name: diff-web$/m);
    expect(fresh.stdout).toMatch(/^\+  replicas: 1$/m);
    expect((await c.kubectl(["get", "deployment", "diff-web"])).code).toBe(1);

    await c.kubectl(["apply", "-f", "-"], { input: deploy(1) });
    const same = await c.kubectl(["diff", "-f", "-"], { input: deploy(1) });
    expect(same).toMatchObject({ code: 0, stdout: "" });
    const changed = await c.kubectl(["diff", "-f", "-"], { input: deploy(3) });
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^-  generation: 1$/m);
    expect(changed.stdout).toMatch(/^\+  generation: 2$/m);
    expect(changed.stdout).toMatch(/^-  replicas: 1$/m);
    expect(changed.stdout).toMatch(/^\+  replicas: 3$/m);
    expect(JSON.parse((await c.kubectl(["get", "deployment", "diff-web", "-o", "json"])).stdout).spec.replicas).toBe(1);
  });

  it("server-side applies with field managers, conflicts and --force-conflicts", async () => {
    expect((await c.kubectl(["create", "deployment", "ssa", "--image=nginx:1.27"])).code).toBe(0);
    const owners = async (name: string) => {
      const o = JSON.parse((await c.kubectl(["get", "deployment", name, "-o", "json", "--show-managed-fields"])).stdout);
      return o.metadata.managedFields as { manager: string; operation: string; apiVersion: string; fieldsV1: { "f:spec"?: Record<string, unknown> } }[];
    };
    const created = await owners("ssa");
    expect(created.map((e) => [e.manager, e.operation, e.apiVersion])).toContainEqual(["kubectl-create", "Update", "apps/v1"]);
    expect(created.find((e) => e.manager === "kubectl-create")!.fieldsV1["f:spec"]).toHaveProperty("f:replicas");

    const manifest = (replicas: number) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ssa\n  namespace: default\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels: {app: ssa}\n  template:\n    metadata:\n      labels: {app: ssa}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n`;
    const conflict = await c.kubectl(["apply", "--server-side", "-f", "-"], { input: manifest(3) });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr.split("\n")[0]).toBe('error: Apply failed with 1 conflict: conflict with "kubectl-create" using apps/v1: .spec.replicas');
    // The same values as live conflict with nobody: ownership is shared.
    expect((await c.kubectl(["apply", "--server-side", "-f", "-"], { input: manifest(1) })).stdout).toBe("deployment.apps/ssa serverside-applied\n");
    const forced = await c.kubectl(["apply", "--server-side", "--force-conflicts", "-f", "-"], { input: manifest(3) });
    expect(forced.stdout).toBe("deployment.apps/ssa serverside-applied\n");
    expect(JSON.parse((await c.kubectl(["get", "deployment", "ssa", "-o", "json"])).stdout).spec.replicas).toBe(3);
    const after = await owners("ssa");
    expect(after.find((e) => e.manager === "kubectl" && e.operation === "Apply")!.fieldsV1["f:spec"]).toHaveProperty("f:replicas");
    expect(after.find((e) => e.manager === "kubectl-create")?.fieldsV1["f:spec"] ?? {}).not.toHaveProperty("f:replicas");

    // An applied field the manager stops setting goes away; a new object is created by apply.
    const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-cm\n  namespace: default\ndata:\n${data}`;
    expect((await c.kubectl(["apply", "--server-side", "-f", "-"], { input: cm("  a: one\n  b: two\n") })).stdout).toBe("configmap/ssa-cm serverside-applied\n");
    await c.kubectl(["apply", "--server-side", "-f", "-"], { input: cm("  a: one\n") });
    expect(JSON.parse((await c.kubectl(["get", "configmap", "ssa-cm", "-o", "json"])).stdout).data).toEqual({ a: "one" });

    // kubectl diff --server-side asks the server what an apply would do.
    const diff = await c.kubectl(["diff", "--server-side", "--force-conflicts", "-f", "-"], { input: cm("  a: uno\n") });
    expect(diff.code).toBe(1);
    expect(diff.stdout).toMatch(/^-  a: one$/m);
    expect(diff.stdout).toMatch(/^\+  a: uno$/m);
    expect(JSON.parse((await c.kubectl(["get", "configmap", "ssa-cm", "-o", "json"])).stdout).data).toEqual({ a: "one" });
  });

  it("conflicts with client-side apply's fields until kubectl migrates them to the server-side applier", async () => {
    const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: csa-cm\n  namespace: default\ndata:\n  k: ${v}\n`;
    const managers = async () =>
      (JSON.parse((await c.kubectl(["get", "configmap", "csa-cm", "-o", "json", "--show-managed-fields"])).stdout).metadata.managedFields as { manager: string; operation: string; fieldsV1: { "f:data"?: object } }[]).map(
        (e) => [e.manager, e.operation, Object.keys(e.fieldsV1["f:data"] ?? {})],
      );
    expect((await c.kubectl(["apply", "-f", "-"], { input: cm("one") })).stdout).toBe("configmap/csa-cm created\n");
    expect(await managers()).toEqual([["kubectl-client-side-apply", "Update", ["f:k"]]]);
    const conflict = await c.kubectl(["apply", "--server-side", "-f", "-"], { input: cm("two") });
    expect(conflict.stderr.split("\n")[0]).toBe('error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.k');
    // An apply that agrees with live succeeds; kubectl then moves client-side apply's fields to "kubectl".
    expect((await c.kubectl(["apply", "--server-side", "-f", "-"], { input: cm("one") })).stdout).toBe("configmap/csa-cm serverside-applied\n");
    expect((await managers()).filter(([m]) => m === "kubectl-client-side-apply")).toEqual([]);
    const ssa = await c.kubectl(["apply", "--server-side", "-f", "-"], { input: cm("two") });
    expect(ssa.stderr).toBe("");
    expect(JSON.parse((await c.kubectl(["get", "configmap", "csa-cm", "-o", "json"])).stdout).data).toEqual({ k: "two" });
  });
});
