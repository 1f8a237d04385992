import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readCert } from "@/lib/cluster/sim/pki/x509";
import { KUBEADM_CERTS, renewKubeadmCert, currentCertPem } from "./kubeadm-pki";
import { parseKubeconfig } from "./kubeconfig-file";
import { NodeLayout } from "./node-layout";
import { kindNodeSpecs } from "./node-spec";
import { provisionNodes } from "./provision-node";

const DAY = 24 * 3600 * 1000;
let dir: string;
let cp: NodeLayout;
let worker: NodeLayout;
const now = new Date("2026-11-21T07:24:00Z");
const [cpSpec, workerSpec] = kindNodeSpecs("lab", 1);

function openssl(args: string[]): string {
  return execFileSync("openssl", args, { cwd: cp.host("/etc/kubernetes/pki"), encoding: "utf8" });
}
const read = (l: NodeLayout) => (p: string) => (fs.existsSync(l.host(p)) ? fs.readFileSync(l.host(p), "utf8") : null);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-node-"));
  const roots = { [cpSpec!.name]: path.join(dir, "cp"), [workerSpec!.name]: path.join(dir, "w") };
  await provisionNodes({ clusterName: "lab", roots, nodes: [cpSpec!, workerSpec!], server: "https://127.0.0.1:40001", now, algorithm: "ecdsa-p256" });
  cp = new NodeLayout(roots[cpSpec!.name]!);
  worker = new NodeLayout(roots[workerSpec!.name]!);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("a provisioned kind control-plane node", () => {
  it("has kubeadm's files at the real paths", () => {
    for (const p of [
      "/etc/kubernetes/manifests/etcd.yaml",
      "/etc/kubernetes/manifests/kube-apiserver.yaml",
      "/etc/kubernetes/manifests/kube-controller-manager.yaml",
      "/etc/kubernetes/manifests/kube-scheduler.yaml",
      "/etc/kubernetes/pki/ca.crt",
      "/etc/kubernetes/pki/apiserver.crt",
      "/etc/kubernetes/pki/apiserver-kubelet-client.key",
      "/etc/kubernetes/pki/apiserver-etcd-client.crt",
      "/etc/kubernetes/pki/front-proxy-ca.crt",
      "/etc/kubernetes/pki/front-proxy-client.crt",
      "/etc/kubernetes/pki/sa.key",
      "/etc/kubernetes/pki/sa.pub",
      "/etc/kubernetes/pki/etcd/ca.crt",
      "/etc/kubernetes/pki/etcd/server.crt",
      "/etc/kubernetes/pki/etcd/peer.crt",
      "/etc/kubernetes/pki/etcd/healthcheck-client.crt",
      "/etc/kubernetes/admin.conf",
      "/etc/kubernetes/super-admin.conf",
      "/etc/kubernetes/controller-manager.conf",
      "/etc/kubernetes/scheduler.conf",
      "/etc/kubernetes/kubelet.conf",
      "/var/lib/kubelet/config.yaml",
    ]) {
      expect(fs.existsSync(cp.host(p)), p).toBe(true);
    }
    expect(fs.readdirSync(cp.host("/etc/cni/net.d"))).toEqual([]);
    expect(fs.existsSync(cp.host("/var/lib/etcd/member"))).toBe(true);
    expect(fs.existsSync(cp.host("/var/log/pods"))).toBe(true);
  });

  it("issues the apiserver certificate with kubeadm's CN, SANs, usages and one year of validity, verified by openssl", () => {
    expect(openssl(["verify", "-CAfile", "ca.crt", "apiserver.crt"])).toContain("apiserver.crt: OK");
    expect(openssl(["verify", "-CAfile", "etcd/ca.crt", "etcd/server.crt"])).toContain("OK");
    expect(openssl(["verify", "-CAfile", "front-proxy-ca.crt", "front-proxy-client.crt"])).toContain("OK");
    const text = openssl(["x509", "-in", "apiserver.crt", "-noout", "-text"]);
    expect(text).toContain("Subject: CN = kube-apiserver");
    expect(text).toContain(
      "DNS:lab-control-plane, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, DNS:localhost, IP Address:10.96.0.1, IP Address:172.18.0.2, IP Address:127.0.0.1",
    );
    expect(text).toContain("TLS Web Server Authentication");
    const info = readCert(fs.readFileSync(cp.host("/etc/kubernetes/pki/apiserver.crt"), "utf8"));
    expect(info.notAfter.getTime() - now.getTime()).toBe(365 * DAY);
    const ca = readCert(fs.readFileSync(cp.host("/etc/kubernetes/pki/ca.crt"), "utf8"));
    expect(ca.commonName).toBe("kubernetes");
    expect(ca.notAfter.getTime() - ca.notBefore.getTime()).toBe(3650 * DAY);
    const etcdServer = readCert(fs.readFileSync(cp.host("/etc/kubernetes/pki/etcd/server.crt"), "utf8"));
    expect(etcdServer.commonName).toBe("lab-control-plane");
    expect(etcdServer.ipAddresses).toEqual(["172.18.0.2", "127.0.0.1", "::1"]);
    expect(etcdServer.extKeyUsage).toEqual(["serverAuth", "clientAuth"]);
    expect(openssl(["rsa", "-in", "sa.key", "-check", "-noout"])).toContain("RSA key ok");
  });

  it("embeds credentials in the kubeconfigs, pointing at the sim API server", () => {
    const admin = parseKubeconfig(fs.readFileSync(cp.host("/etc/kubernetes/admin.conf"), "utf8"));
    expect(admin.ok).toBe(true);
    if (!admin.ok) return;
    expect(admin.value.server).toBe("https://127.0.0.1:40001");
    expect(admin.value.userName).toBe("kubernetes-admin");
    const cert = readCert(admin.value.certPem!);
    expect(cert.commonName).toBe("kubernetes-admin");
    expect(cert.organizations).toEqual(["kubeadm:cluster-admins"]);
    const superAdmin = parseKubeconfig(fs.readFileSync(cp.host("/etc/kubernetes/super-admin.conf"), "utf8"));
    expect(superAdmin.ok && readCert(superAdmin.value.certPem!).organizations).toEqual(["system:masters"]);
    const kubelet = parseKubeconfig(fs.readFileSync(worker.host("/etc/kubernetes/kubelet.conf"), "utf8"));
    expect(kubelet.ok && readCert(kubelet.value.certPem!).commonName).toBe("system:node:lab-worker");
    expect(fs.existsSync(worker.host("/etc/kubernetes/manifests/etcd.yaml"))).toBe(false);
    expect(fs.readFileSync(worker.host("/etc/kubernetes/pki/ca.crt"), "utf8")).toBe(fs.readFileSync(cp.host("/etc/kubernetes/pki/ca.crt"), "utf8"));
  });

  it("writes manifests with the node's IP and kind's images", () => {
    const etcd = parse(fs.readFileSync(cp.host("/etc/kubernetes/manifests/etcd.yaml"), "utf8")) as { spec: { containers: Array<{ command: string[]; image: string }> } };
    const c = etcd.spec.containers[0]!;
    expect(c.image).toBe("registry.k8s.io/etcd:3.5.16-0");
    expect(c.command).toContain("--listen-client-urls=https://127.0.0.1:2379,https://172.18.0.2:2379");
    expect(c.command).toContain("--name=lab-control-plane");
  });
});

describe("kubeadm certs renew", () => {
  it("re-issues an expired apiserver certificate from the CA, keeping SANs and usages", async () => {
    const entry = KUBEADM_CERTS.find((e) => e.name === "apiserver")!;
    const before = readCert(currentCertPem(entry, read(cp))!);
    const later = new Date(now.getTime() + 400 * DAY);
    const files = await renewKubeadmCert("apiserver", read(cp), later);
    const after = readCert(files["/etc/kubernetes/pki/apiserver.crt"]!);
    expect(after.dnsNames).toEqual(before.dnsNames);
    expect(after.ipAddresses).toEqual(before.ipAddresses);
    expect(after.extKeyUsage).toEqual(["serverAuth"]);
    expect(after.notAfter.getTime()).toBe(later.getTime() + 365 * DAY);
    expect(files["/etc/kubernetes/pki/apiserver.key"]).toBeTruthy();
  });

  it("renews a kubeconfig's embedded certificate and keeps its server", async () => {
    const files = await renewKubeadmCert("admin.conf", read(cp), now);
    const kc = parseKubeconfig(files["/etc/kubernetes/admin.conf"]!);
    expect(kc.ok && kc.value.server).toBe("https://127.0.0.1:40001");
    expect(kc.ok && kc.value.clusterName).toBe("lab");
  });

  it("refuses a template without extKeyUsage, with kubeadm's message", async () => {
    const { createCa, issueCert } = await import("@/lib/cluster/sim/pki/x509");
    void createCa;
    const ca = { certPem: read(cp)("/etc/kubernetes/pki/ca.crt")!, keyPem: read(cp)("/etc/kubernetes/pki/ca.key")! };
    const bare = await issueCert({ ca, commonName: "kube-apiserver", algorithm: "ecdsa-p256" });
    const files = { ...Object.fromEntries([["/etc/kubernetes/pki/apiserver.crt", bare.certPem]]) };
    const r = (p: string) => files[p] ?? read(cp)(p);
    await expect(renewKubeadmCert("apiserver", r, now)).rejects.toThrow("failed to renew certificate apiserver: must specify at least one ExtKeyUsage");
  });
});
