import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimCluster, type SimCluster } from "@/lib/cluster/sim/sim-cluster";
import { simNodeAccess } from "./sim-node-access";
import { toolsSkipReason } from "@/lib/testing/required-tools";

/**
 * etcd's --data-dir moved out of its hostPath mount, reproduced by hand in a node shell with real
 * kubectl: etcd serves a fresh, empty store (no error), the sentinel ConfigMap is gone, the system
 * namespaces are seconds old, there are no ClusterRoles (admin.conf is forbidden, super-admin.conf
 * sees it), the controller-manager crash-loops on forbidden, the anonymous liveness probe gets 403
 * until the kubelet restarts the apiserver (which writes the default RBAC again, not kubeadm's),
 * the Node and the mirror pods are missing until the kubelet restarts, and restoring the manifest
 * brings the original data back intact.
 * Needs bubblewrap and kubectl on the host.
 */
const skipReason = toolsSkipReason({ suite: "etcd-data-dir.test.ts", tools: ["bwrap", "kubectl"] });
const missing = skipReason ? [skipReason] : [];
const cp = "dd-control-plane";
const MANIFEST = "/etc/kubernetes/manifests/etcd.yaml";
let dir: string;
let cluster: SimCluster;
let sh: (script: string) => Promise<{ stdout: string; stderr: string; code: number }>;

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  if (missing.length) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-etcd-dd-"));
  cluster = await startSimCluster({ name: "dd", workers: 0, clusterDir: dir, timeScale: 10, keyAlgorithm: "ecdsa-p256" });
  const access = simNodeAccess(dir, cluster.nodes);
  sh = (script) => access.exec(cp, ["bash", "-c", script], { timeoutMs: 60_000 });
  await until("the control plane to be Ready", async () => /dd-control-plane\s+Ready/.test((await sh("kubectl get nodes --no-headers")).stdout));
}, 150_000);

afterAll(async () => {
  if (missing.length) return;
  await cluster?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(missing.length > 0)("etcd --data-dir moved out of its hostPath mount", () => {
  it("serves an empty store until the manifest is restored, then the original data (sentinel) is back and the cluster is healthy", async () => {
    expect((await sh("kubectl create configmap sentinel --from-literal=keep=me")).code).toBe(0);
    // Edit through a temp file and mv, outside the manifests dir; the hostPath volume stays as it is.
    const edit = await sh(
      `cp ${MANIFEST} /root/etcd.yaml.orig && sed 's#--data-dir=/var/lib/etcd$#--data-dir=/var/lib/etcd-moved#' ${MANIFEST} > /root/etcd.yaml.new && mv /root/etcd.yaml.new ${MANIFEST} && grep -c 'path: /var/lib/etcd$' ${MANIFEST}`,
    );
    expect(edit.stdout.trim()).toBe("1");
    const su = "kubectl --kubeconfig /etc/kubernetes/super-admin.conf";
    await until("the sentinel to disappear", async () => {
      const r = await sh(`${su} get cm -A --no-headers`);
      return r.code === 0 && !r.stdout.includes("sentinel");
    });
    // No error from etcd or the apiserver, but no RBAC either: admin.conf's kubernetes-admin is in
    // kubeadm:cluster-admins, whose binding is gone, so it is forbidden; super-admin.conf
    // (system:masters) still sees everything: young system namespaces and no ClusterRoles.
    expect((await sh("kubectl get ns")).stderr).toBe(
      'Error from server (Forbidden): namespaces is forbidden: User "kubernetes-admin" cannot list resource "namespaces" in API group "" at the cluster scope\n',
    );
    const ns = await sh(`${su} get ns --no-headers`);
    expect(ns.code).toBe(0);
    expect(ns.stdout.split("\n").filter(Boolean).map((l) => l.split(/\s+/)[0]).sort()).toEqual(["default", "kube-node-lease", "kube-public", "kube-system"]);
    for (const line of ns.stdout.split("\n").filter(Boolean)) expect(line).toMatch(/Active\s+\d+s$/);
    const roles = await sh(`${su} get clusterroles`);
    expect(roles.stderr).toBe("No resources found\n");
    expect((await sh(`${su} get pods`)).stderr).toBe("No resources found in default namespace.\n");
    await until("the kubelet's node-lease owner error", async () =>
      (await sh("journalctl -u kubelet --no-pager")).stdout.includes(`"Failed to get node when trying to set owner ref to the node lease" err="nodes \\"${cp}\\" not found"`),
    );
    // The controller-manager crash-loops on forbidden.
    await until("the controller-manager to exit forbidden", async () => {
      const ids = (await sh("crictl ps -a -q --name kube-controller-manager")).stdout.split("\n").filter(Boolean);
      for (const id of ids) {
        if ((await sh(`crictl logs ${id} 2>&1`)).stdout.includes('forbidden: User \\"system:kube-controller-manager\\" cannot get path \\"/healthz\\"')) return true;
      }
      return false;
    }, 120_000);
    // The kubelet's liveness probe of /livez is anonymous and now forbidden (403): after 8
    // failures it restarts the apiserver, whose rbac/bootstrap-roles hook writes the default
    // policy into the empty store. kubeadm's own binding stays missing: admin.conf is still
    // forbidden everything but what system:authenticated gets.
    await until("the apiserver to be restarted by its liveness probe", async () =>
      (await sh("journalctl -u kubelet --no-pager")).stdout.includes('containerMessage="Container kube-apiserver failed liveness probe, will be restarted"'),
    );
    expect((await sh("journalctl -u kubelet --no-pager")).stdout).toContain('probeType="Liveness"');
    expect((await sh("journalctl -u kubelet --no-pager")).stdout).toContain('output="HTTP probe failed with statuscode: 403"');
    await until("the default ClusterRoles in the new store", async () => /^system:public-info-viewer\s/m.test((await sh(`${su} get clusterroles --no-headers`)).stdout), 60_000);
    expect((await sh(`${su} get clusterrolebinding kubeadm:cluster-admins`)).stderr).toContain('clusterrolebindings.rbac.authorization.k8s.io "kubeadm:cluster-admins" not found');
    expect((await sh("kubectl get --raw /readyz")).stdout).toBe("ok");
    expect((await sh("kubectl get ns")).stderr).toContain('User "kubernetes-admin" cannot list resource "namespaces"');
    expect((await sh("kubectl auth can-i list pods")).stdout.trim()).toBe("no");
    expect((await sh("ls /var/lib/etcd-moved 2>&1")).stdout).toMatch(/No such file or directory/);
    // No Node, so no mirror pods: the kubelet registers only as it starts and publishes mirror pods
    // only for a Node it can get. The static pods run all the same (crictl shows them).
    expect((await sh(`${su} get nodes`)).stderr).toBe("No resources found\n");
    await until("the kubelet to skip the mirror pods", async () =>
      (await sh("journalctl -u kubelet --no-pager")).stdout.includes(`"No need to create a mirror pod, since failed to get node info from the cluster" err="node \\"${cp}\\" not found" node="${cp}"`),
    );
    expect((await sh(`${su} get pods -n kube-system --no-headers`)).stdout).not.toMatch(/^(etcd|kube-apiserver)-/m);
    expect((await sh("crictl ps --name '^etcd$' --state running -q")).stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    // A restarted kubelet registers the Node again, with what the kubelet itself sets (no
    // control-plane role or taint: kubeadm added those), and then publishes the mirror pods.
    expect((await sh("systemctl restart kubelet")).code).toBe(0);
    await until("the Node to be registered again", async () => /^dd-control-plane\s+\S+\s+<none>\s/m.test((await sh(`${su} get nodes --no-headers`)).stdout));
    expect((await sh(`${su} get node dd-control-plane -o jsonpath={.spec.taints}`)).stdout).toBe("");
    expect((await sh("journalctl -u kubelet --no-pager")).stdout).toContain(`"Successfully registered node" node="${cp}"`);
    await until("the etcd mirror pod in the new store", async () => (await sh(`${su} get pods -n kube-system --no-headers`)).stdout.includes(`etcd-${cp}`));

    await sh(`mv /root/etcd.yaml.orig ${MANIFEST}`);
    await until("the sentinel to come back", async () => {
      const r = await sh("kubectl get cm sentinel -o jsonpath={.data.keep}");
      return r.code === 0 && r.stdout === "me";
    });
    expect((await sh("kubectl get clusterroles --no-headers")).stdout).toMatch(/^cluster-admin\s/m);
    // Healthy again: the controller-manager and scheduler lead, so a new Deployment gets a running pod.
    expect((await sh("kubectl create deployment web --image=nginx:1.27")).code).toBe(0);
    await until("the web pod to run", async () => /web-\S+\s+1\/1\s+Running/.test((await sh("kubectl get pods --no-headers")).stdout), 150_000);
  }, 420_000);

  it("a same-named etcd.yaml.bak is the same static pod, not a second etcd, and shadows edits to etcd.yaml at the next re-list", async () => {
    await sh(`cp ${MANIFEST} /root/etcd.yaml.good && cp ${MANIFEST} ${MANIFEST}.bak`);
    // Another file means another pod UID: the kubelet replaces the etcd pod once.
    await until("SyncLoop REMOVE and ADD for the etcd pod", async () => {
      const j = (await sh("journalctl -u kubelet --no-pager")).stdout;
      return j.lastIndexOf(`"SyncLoop ADD" source="file" pods=["kube-system/etcd-${cp}"]`) > j.lastIndexOf(`"SyncLoop REMOVE" source="file" pods=["kube-system/etcd-${cp}"]`) && j.includes(`"SyncLoop REMOVE" source="file" pods=["kube-system/etcd-${cp}"]`);
    });
    await until("one running etcd", async () => (await sh("crictl ps --name etcd -q")).stdout.trim().split("\n").filter(Boolean).length === 1);
    // The replaced pod's mirror is re-created (and the apiserver reconnects to etcd) a moment later.
    let listed = "";
    await until("the etcd mirror pod to be listed again", async () => {
      const r = await sh("kubectl get pods -n kube-system --no-headers");
      listed = r.stdout;
      return r.code === 0 && /^etcd-/m.test(listed);
    });
    expect(listed.match(/^etcd-/gm)).toHaveLength(1);
    // The fault written into etcd.yaml is shadowed by the .bak's content: the data stays.
    await sh(`sed 's#--data-dir=/var/lib/etcd$#--data-dir=/var/lib/etcd-moved#' /root/etcd.yaml.good > /root/e.yaml && mv /root/e.yaml ${MANIFEST}`);
    // Between re-lists the edited file may win for a moment; the kubelet's next full re-list (every
    // 20 s of cluster time) puts the .bak back. Wait for cluster time to pass it, then for the data.
    const edited = cluster.clock.now().getTime();
    await until("a full manifest re-list after the edit, with the sentinel there", async () => {
      if (cluster.clock.now().getTime() < edited + 21_000) return false;
      const running = (await sh("crictl ps --name etcd -q")).stdout.trim().split("\n").filter(Boolean).length === 1;
      return running && (await sh("kubectl get cm sentinel -o name")).stdout === "configmap/sentinel\n";
    });
    expect((await sh(`grep -c -- --data-dir=/var/lib/etcd-moved ${MANIFEST}`)).stdout).toBe("1\n");
    // Without the .bak, the edit applies.
    await sh(`rm ${MANIFEST}.bak`);
    const su = "kubectl --kubeconfig /etc/kubernetes/super-admin.conf";
    await until("the sentinel to disappear", async () => {
      const r = await sh(`${su} get cm -A --no-headers`);
      return r.code === 0 && !r.stdout.includes("sentinel");
    });
    await sh(`mv /root/etcd.yaml.good ${MANIFEST}`);
    await until("the sentinel to come back", async () => (await sh("kubectl get cm sentinel -o name")).stdout === "configmap/sentinel\n");
  }, 300_000);
});
