import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCa, issueCert } from "../pki/x509";
import { startSimCluster, type SimCluster } from "../sim-cluster";
import { toolsSkipReason } from "@/lib/testing/required-tools";

/** The handle the node model drives: close/listen, certificate hot reload, a failing etcd. */
const hasKubectl = toolsSkipReason({ suite: "api-server.test.ts", tools: ["kubectl"] }) === null;
let cluster: SimCluster;
let dir: string;
let kubeconfig: string;

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("kubectl", ["--kubeconfig", kubeconfig, "--request-timeout=5s", ...args], { env: { ...process.env, HOME: dir }, timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? 1 : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  cluster = await startSimCluster({ name: "h", workers: 0, keyAlgorithm: "ecdsa-p256" });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-handle-"));
  kubeconfig = path.join(dir, "kubeconfig");
  fs.writeFileSync(kubeconfig, cluster.kubeconfig());
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasKubectl)("ApiServerHandle", () => {
  it("refuses connections when closed and serves again on the same port", async () => {
    await cluster.api.close();
    const r = await kubectl(["get", "nodes"]);
    expect(r.stderr).toContain(`The connection to the server 127.0.0.1:${cluster.port} was refused - did you specify the right host or port?`);
    await cluster.api.listen(cluster.port);
    expect((await kubectl(["get", "nodes", "-o", "name"])).stdout).toBe("node/h-control-plane\n");
  });

  it("serves a reloaded certificate: an expired one fails kubectl with the real x509 error", async () => {
    const expired = await issueCert({
      ca: cluster.pki.ca,
      commonName: "kube-apiserver",
      dnsNames: ["localhost", "h-control-plane"],
      ipAddresses: ["127.0.0.1"],
      extKeyUsage: ["serverAuth"],
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2025-01-01T00:00:00Z"),
      algorithm: "ecdsa-p256",
    });
    cluster.api.setServingCert(expired.certPem, expired.keyPem);
    const r = await kubectl(["get", "nodes"]);
    expect(r.stderr).toMatch(/Unable to connect to the server: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time \S+ is after 2025-01-01T00:00:00Z/);
    cluster.api.setServingCert(cluster.pki.apiserver.certPem, cluster.pki.apiserver.keyPem);
    expect((await kubectl(["get", "nodes", "-o", "name"])).code).toBe(0);
  });

  it("answers like an apiserver whose etcd is unreachable, and rejects unauthenticated clients", async () => {
    cluster.api.setBackendFailure({ delayMs: 100 });
    const r = await kubectl(["get", "nodes"]);
    expect(r.stderr).toContain("Error from server (Timeout): the server was unable to return a response in the time allotted, but may still be processing the request (get nodes)");
    const ready = await kubectl(["get", "--raw", "/readyz?verbose"]);
    expect(ready.stderr + ready.stdout).toContain("[-]etcd failed: reason withheld");
    cluster.api.setBackendFailure(null);
    // A client certificate from another CA authenticates nobody.
    const otherCa = await createCa({ commonName: "other", algorithm: "ecdsa-p256" });
    const stranger = await issueCert({ ca: otherCa, commonName: "kubernetes-admin", organizations: ["system:masters"], extKeyUsage: ["clientAuth"], algorithm: "ecdsa-p256" });
    const b64 = (t: string) => Buffer.from(t).toString("base64");
    const unauth = path.join(dir, "stranger.yaml");
    fs.writeFileSync(
      unauth,
      cluster
        .kubeconfig()
        .replace(/client-certificate-data: .*\n/, `client-certificate-data: ${b64(stranger.certPem)}\n`)
        .replace(/client-key-data: .*\n/, `client-key-data: ${b64(stranger.keyPem)}\n`),
    );
    const u = await new Promise<string>((resolve) =>
      execFile("kubectl", ["--kubeconfig", unauth, "get", "pods"], { env: { ...process.env, HOME: dir }, timeout: 20_000 }, (_e, _o, stderr) => resolve(stderr)),
    );
    expect(u).toContain("error: You must be logged in to the server (Unauthorized)");
    // --client-ca-file replaced: the admin's own certificate no longer authenticates.
    cluster.api.setClientCa(otherCa.certPem);
    expect((await kubectl(["get", "pods"])).stderr).toContain("error: You must be logged in to the server (Unauthorized)");
    cluster.api.setClientCa(cluster.pki.ca.certPem);
    expect((await kubectl(["get", "nodes", "-o", "name"])).code).toBe(0);
  });

  it("ends open watches when etcd switches data dirs, so clients re-list (kubectl get -w returns)", async () => {
    const { spawn } = await import("node:child_process");
    const watches = vi.spyOn(cluster.store, "watch");
    const child = spawn("kubectl", ["--kubeconfig", kubeconfig, "get", "configmaps", "-A", "-w"], { env: { ...process.env, HOME: dir }, stdio: "ignore" });
    let exited = false;
    const done = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    void done.then(() => (exited = true));
    try {
      // kubectl lists, then watches: switch only once its watch is open on the store.
      await vi.waitFor(() => expect(watches.mock.calls.some(([key]) => key === "configmaps")).toBe(true), { timeout: 15_000, interval: 20 });
      expect(exited).toBe(false);
      cluster.store.switchBackend("container:test", { reset: true });
      await vi.waitFor(() => expect(exited).toBe(true), { timeout: 5000, interval: 20 });
    } finally {
      watches.mockRestore();
      child.kill();
      cluster.store.switchBackend("host:/var/lib/etcd");
    }
  }, 20_000);
});
