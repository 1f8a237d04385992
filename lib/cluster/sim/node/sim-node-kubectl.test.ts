import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiServer, type ApiServerHandle } from "@/lib/cluster/sim/api/api-server";
import { startWorkloadSim, type WorkloadSim } from "@/lib/cluster/sim/controllers/start-workload-sim";
import type { ProcessModelContext, StaticPodSource } from "@/lib/cluster/sim/kubelet/kubelet-seams";
import { controlPlaneEffects } from "./control-plane-effects";
import { kindNodeSpecs } from "./node-spec";
import { SimNodeFleet } from "./sim-node-fleet";
import { toolsSkipReason } from "@/lib/testing/required-tools";

/**
 * The four headline faults, reproduced by hand in a sim node shell with the commands one would
 * use on a kind node (sed, cp, openssl, kubeadm, rm, kubectl), asserting what real kubectl prints
 * and that the cluster recovers. Needs bubblewrap, kubectl and openssl on the host.
 */
const skipReason = toolsSkipReason({ suite: "sim-node-kubectl.test.ts", tools: ["bwrap", "kubectl", "openssl"] });
const missing = skipReason ? [skipReason] : [];
const SCALE = 10;
const cp = "lab-control-plane";
const worker = "lab-worker";
let dir: string;
let sim: WorkloadSim;
let fleet: SimNodeFleet;
let api: ApiServerHandle;

async function sh(node: string, script: string, timeoutMs = 60_000) {
  return fleet.exec(node, ["bash", "-c", script], { timeoutMs });
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  if (missing.length) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-kubectl-"));
  let f: SimNodeFleet | null = null;
  const subs = new Map<string, Set<() => void>>();
  const source = (node: string): StaticPodSource => ({
    list: () => f?.kubeletHooks(node).staticPods?.list() ?? [],
    subscribe: (fn) => {
      const s = subs.get(node) ?? new Set<() => void>();
      s.add(fn);
      subs.set(node, s);
      return () => s.delete(fn);
    },
  });
  sim = startWorkloadSim({
    name: "lab",
    workers: 1,
    timeScale: SCALE,
    hooks: (node) => ({ staticPods: source(node), processModel: (ctx: ProcessModelContext) => f?.kubeletHooks(node).processModel?.(ctx) }),
  });
  f = await SimNodeFleet.create({ clusterName: "lab", clusterDir: dir, nodes: kindNodeSpecs("lab", 1), clock: sim.clock, server: "https://127.0.0.1:1", store: sim.store, algorithm: "ecdsa-p256" });
  fleet = f;
  const files = fleet.apiserverFiles();
  api = createApiServer({ store: sim.store, clock: sim.clock, servingCertPem: files.certPem, servingKeyPem: files.keyPem, clientCaPem: files.clientCaPem, advertiseAddress: "172.18.0.2" });
  const port = await api.listen(0);
  fleet.setServer(`https://127.0.0.1:${port}`);
  for (const [name, k] of sim.kubelets) fleet.attachKubelet(name, k);
  fleet.connect(
    controlPlaneEffects({
      api,
      port,
      etcdTimeoutMs: 2000,
      setLeader: (c, on) => (c === "kube-scheduler" ? sim.controllers.setSchedulerRunning(on) : sim.controllers.setControllerManagerRunning(on)),
    }),
  );
  await fleet.start();
  for (const node of [cp, worker]) {
    fleet.kubeletHooks(node).staticPods?.subscribe(() => subs.get(node)?.forEach((fn) => fn()));
    subs.get(node)?.forEach((fn) => fn());
  }
  await until("kubectl get nodes to show both nodes Ready", async () => {
    const r = await sh(cp, "kubectl get nodes --no-headers");
    return /lab-control-plane\s+Ready/.test(r.stdout) && /lab-worker\s+Ready/.test(r.stdout);
  }, 90_000);
}, 150_000);

afterAll(async () => {
  if (missing.length) return;
  await fleet.stop();
  await api.close();
  sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(missing.length > 0)("fault reproduction in sim node shells with real kubectl", () => {
  it("expired apiserver certificate: kubectl's x509 error, then kubeadm certs renew apiserver recovers", async () => {
    // Re-sign apiserver.crt from the node's CA with past dates, keeping every extension, as one would on kind.
    const resign = await sh(
      cp,
      `set -e
cd /etc/kubernetes/pki
cp apiserver.crt /root/apiserver.crt.orig
openssl x509 -x509toreq -in apiserver.crt -signkey apiserver.key -copy_extensions copyall -out /tmp/apiserver.csr 2>/dev/null
mkdir -p /tmp/ca && : > /tmp/ca/index.txt
cat > /tmp/ca/ca.cnf <<'CNF'
[ca]
default_ca = c
[c]
database = /tmp/ca/index.txt
new_certs_dir = /tmp/ca
serial = /tmp/ca/serial
default_md = sha256
policy = p
copy_extensions = copyall
unique_subject = no
[p]
commonName = supplied
CNF
openssl ca -batch -config /tmp/ca/ca.cnf -create_serial -cert ca.crt -keyfile ca.key -in /tmp/apiserver.csr -out apiserver.crt -notext -startdate 20240101000000Z -enddate 20250101000000Z 2>/dev/null
openssl x509 -in apiserver.crt -noout -enddate -ext subjectAltName,extendedKeyUsage`,
    );
    expect(resign.stderr).toBe("");
    expect(resign.stdout).toContain("notAfter=Jan  1 00:00:00 2025 GMT");
    expect(resign.stdout).toContain("TLS Web Server Authentication");
    expect(resign.stdout).toContain("IP Address:127.0.0.1");
    await until("kubectl to fail with the x509 error", async () => {
      const r = await sh(cp, "kubectl get nodes");
      return r.code !== 0 && r.stderr.includes("certificate has expired");
    }, 30_000);
    const failed = await sh(cp, "kubectl get nodes");
    expect(failed.stderr).toMatch(
      /^Unable to connect to the server: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ is after 2025-01-01T00:00:00Z\n$/,
    );
    const check = await sh(cp, "kubeadm certs check-expiration");
    expect(check.stdout).toContain("[check-expiration] Error reading configuration from the Cluster. Falling back to default configuration");
    expect(check.stdout).toMatch(/\napiserver {18}Jan 01, 2025 00:00 UTC {3}<invalid> {7}ca /);
    const renew = await sh(cp, "kubeadm certs renew apiserver");
    expect(renew.code).toBe(0);
    expect(renew.stdout).toContain("certificate for serving the Kubernetes API renewed");
    await until("kubectl to work again", async () => (await sh(cp, "kubectl get nodes")).code === 0, 30_000);
  }, 120_000);

  it("CNI config removed with kindnet unschedulable: NotReady, Pending and ContainerCreating, then recovery", async () => {
    const patch = await sh(cp, `kubectl -n kube-system patch daemonset kindnet -p '{"spec":{"template":{"spec":{"nodeSelector":{"breakfix.dev/none":"true"}}}}}'`);
    expect(patch.stdout).toBe("daemonset.apps/kindnet patched\n");
    await until("kindnet pods to be gone", async () => (await sh(cp, "kubectl -n kube-system get pods -l app=kindnet --no-headers 2>&1")).stdout.includes("No resources found"), 60_000);
    const rm = await sh(worker, "rm /etc/cni/net.d/10-kindnet.conflist && ls -A /etc/cni/net.d");
    expect(rm.code).toBe(0);
    await until("lab-worker NotReady", async () => /lab-worker\s+NotReady/.test((await sh(cp, "kubectl get nodes --no-headers")).stdout), 60_000);
    const node = await sh(cp, "kubectl get node lab-worker -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].message}'");
    expect(node.stdout).toBe(
      "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
    );
    await until("the not-ready taint", async () => (await sh(cp, "kubectl get node lab-worker -o jsonpath='{.spec.taints}'")).stdout.includes("node.kubernetes.io/not-ready"), 60_000);
    await sh(cp, "kubectl run pending --image=nginx:1.27 && kubectl run pinned --image=nginx:1.27 --overrides='{\"spec\":{\"nodeName\":\"lab-worker\"}}'");
    await until("pinned pod ContainerCreating with NetworkNotReady", async () => {
      const d = await sh(cp, "kubectl describe pod pinned");
      return d.stdout.includes("ContainerCreating") && d.stdout.includes("NetworkNotReady");
    }, 60_000);
    const pinned = await sh(cp, "kubectl describe pod pinned");
    expect(pinned.stdout).toContain(
      "network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
    );
    await until("pending pod FailedScheduling on the taint", async () => (await sh(cp, "kubectl describe pod pending")).stdout.includes("{node.kubernetes.io/not-ready: }"), 60_000);
    expect((await sh(cp, "kubectl get pod pending --no-headers")).stdout).toMatch(/pending\s+0\/1\s+Pending/);
    // Undo: kindnet schedulable again; its pod on the worker writes the conflist back.
    const undo = await sh(cp, `kubectl -n kube-system patch daemonset kindnet --type json -p '[{"op":"remove","path":"/spec/template/spec/nodeSelector/breakfix.dev~1none"}]'`);
    expect(undo.code).toBe(0);
    await until("the conflist back on lab-worker", async () => (await sh(worker, "cat /etc/cni/net.d/10-kindnet.conflist")).stdout.includes('"name": "kindnet"'), 60_000);
    await until("lab-worker Ready", async () => /lab-worker\s+Ready/.test((await sh(cp, "kubectl get nodes --no-headers")).stdout), 60_000);
    await until("both pods Running", async () => {
      const r = await sh(cp, "kubectl get pods --no-headers");
      return /pending\s+1\/1\s+Running/.test(r.stdout) && /pinned\s+1\/1\s+Running/.test(r.stdout);
    }, 90_000);
  }, 300_000);

  it("bad image tag: ImagePullBackOff, then fixed", async () => {
    await sh(cp, "kubectl create deployment web --image=nginx:1.27-doesnotexist");
    await until("ImagePullBackOff", async () => /ImagePullBackOff|ErrImagePull/.test((await sh(cp, "kubectl get pods -l app=web --no-headers")).stdout), 90_000);
    await sh(cp, "kubectl set image deployment/web nginx=nginx:1.27");
    await until("web Running", async () => /web-\S+\s+1\/1\s+Running/.test((await sh(cp, "kubectl get pods -l app=web --no-headers")).stdout), 90_000);
  }, 200_000);

  it("etcd without 127.0.0.1 in --listen-client-urls: apiserver down, kubectl refused, recovery after restore", async () => {
    const file = "/etc/kubernetes/manifests/etcd.yaml";
    await sh(cp, `cp ${file} /root/etcd.yaml.orig && sed -i 's#--listen-client-urls=https://127.0.0.1:2379,#--listen-client-urls=#' ${file}`);
    await until("kubectl to be refused", async () => {
      const r = await sh(cp, "kubectl get nodes");
      return r.stderr.includes("was refused - did you specify the right host or port?");
    }, 90_000);
    const r = await sh(cp, "kubectl get nodes");
    expect(r.stderr).toMatch(/^The connection to the server 127\.0\.0\.1:\d+ was refused - did you specify the right host or port\?\n$/);
    const ps = await sh(cp, "crictl ps -a --name kube-apiserver");
    expect(ps.stdout).toMatch(/Exited +kube-apiserver/);
    expect((await sh(cp, "crictl ps --name etcd")).stdout).toMatch(/Running +etcd/);
    await sh(cp, `cp /root/etcd.yaml.orig ${file} && systemctl restart kubelet`);
    await until("kubectl to work again", async () => (await sh(cp, "kubectl get nodes")).code === 0, 90_000);
  }, 200_000);
});
