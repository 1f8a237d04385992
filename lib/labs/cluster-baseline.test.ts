import { describe, expect, it } from "vitest";
import type { ExecResult } from "@/lib/cluster/types";
import { removeSinceBaseline, takeClusterBaseline, type KubectlRunner } from "./cluster-baseline";

/** A cluster's API as kubectl shows it: objects by "resource/namespace/name", some owned. */
function fakeApi(initial: string[], owned: string[] = []) {
  const objects = new Set(initial);
  const ownedSet = new Set(owned);
  /** Namespaces whose deletion never finishes (a stuck finalizer). */
  const stuck = new Set<string>();
  const calls: string[][] = [];
  const ok = (stdout = ""): ExecResult => ({ code: 0, stdout, stderr: "" });
  const kubectl: KubectlRunner = async (argv) => {
    calls.push(argv);
    const nsIdx = argv.indexOf("-n");
    const ns = nsIdx >= 0 ? argv[nsIdx + 1]! : "";
    if (argv[0] === "get") {
      const resource = argv[1]!;
      if (resource === "networkpolicies.networking.k8s.io") return { code: 1, stdout: "", stderr: `error: the server doesn't have a resource type "networkpolicies"` };
      const items = [...objects, ...ownedSet]
        .filter((o) => o.startsWith(`${resource}/${resource === "namespaces" ? "" : ns}/`))
        .map((o) => ({ metadata: { name: o.split("/")[2], ...(ownedSet.has(o) ? { ownerReferences: [{ kind: "Node" }] } : {}) } }));
      return ok(JSON.stringify({ items }));
    }
    if (argv[0] === "delete") {
      const resource = argv[1]!;
      const names = argv.slice(2).filter((a) => !a.startsWith("--") && a !== "-n" && a !== ns);
      for (const n of names) if (!(resource === "namespace" && stuck.has(n))) objects.delete(`${resource === "namespace" ? "namespaces" : resource}/${ns}/${n}`);
      return ok();
    }
    return { code: 1, stdout: "", stderr: `unexpected ${argv.join(" ")}` };
  };
  return { objects, stuck, calls, kubectl };
}

const CLUSTER = ["namespaces//default", "namespaces//kube-system", "deployments.apps/kube-system/coredns", "configmaps/kube-system/kubeadm-config", "clusterroles.rbac.authorization.k8s.io//admin"];

describe("cluster baseline", () => {
  it("records namespaces and unowned objects, and treats an API the cluster lacks as empty", async () => {
    const api = fakeApi(CLUSTER, ["pods/kube-system/etcd-cp"]);
    const b = await takeClusterBaseline(api.kubectl);
    expect(b.namespaces).toEqual(["default", "kube-system"]);
    expect(b.objects).toEqual(["clusterroles.rbac.authorization.k8s.io//admin", "configmaps/kube-system/kubeadm-config", "deployments.apps/kube-system/coredns"]);
  });

  it("deletes the namespaces and objects added since, and keeps the cluster's own even when re-created", async () => {
    const api = fakeApi(CLUSTER);
    const b = await takeClusterBaseline(api.kubectl);
    api.objects.add("namespaces//lab");
    api.objects.add("pods/default/scratch");
    api.objects.add("clusterrolebindings.rbac.authorization.k8s.io//lab-admin");
    // A lab that deleted and re-applied CoreDNS: the same name, so it stays.
    api.objects.delete("deployments.apps/kube-system/coredns");
    api.objects.add("deployments.apps/kube-system/coredns");
    const r = await removeSinceBaseline(api.kubectl, b, { timeoutMs: 5_000, intervalMs: 10 });
    expect(r.left).toEqual([]);
    expect(r.removed.sort()).toEqual(["clusterrolebindings.rbac.authorization.k8s.io//lab-admin", "namespace lab", "pods/default/scratch"]);
    expect([...api.objects].sort()).toEqual([...CLUSTER].sort());
    expect(api.calls.some((c) => c.join(" ") === "delete pods scratch -n default --ignore-not-found --wait=false")).toBe(true);
  });

  it("reports what is still there when the wait runs out", async () => {
    const api = fakeApi(CLUSTER);
    const b = await takeClusterBaseline(api.kubectl);
    api.objects.add("namespaces//shop");
    api.stuck.add("shop");
    const r = await removeSinceBaseline(api.kubectl, b, { timeoutMs: 50, intervalMs: 10 });
    expect(r.left).toEqual(["namespace shop"]);
    expect(r.removed).toEqual([]);
  });
});
