import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compareClusterNodes } from "./compare-cluster-nodes";
import type { SshNodeConfig } from "./ssh-clusters-file";

const json = fs.readFileSync(path.join(import.meta.dirname, "fixtures/kubectl-get-nodes.json"), "utf8");
const node = (name: string, role: SshNodeConfig["role"]): SshNodeConfig => ({ name, role, host: "h", port: 22, user: "root", key: "/k", sudo: false });

describe("compareClusterNodes", () => {
  it("accepts nodes named and roled as the API has them, and mentions nodes left out", () => {
    const r = compareClusterNodes([node("cp1", "control-plane"), node("worker1", "worker")], json);
    expect(r.ok).toBe(true);
    expect(r.lines).toEqual(["cp1: registered as control-plane", "worker1: registered as worker", "worker2: in the cluster but not in the file (labs will not use it)"]);
  });

  it("fails on a name the API does not know, listing the names it does", () => {
    const r = compareClusterNodes([node("k8s-cp1", "control-plane")], json);
    expect(r.ok).toBe(false);
    expect(r.lines[0]).toBe("k8s-cp1: FAILED: the API has no node of this name (it has cp1, worker1, worker2); use the names of kubectl get nodes");
  });

  it("fails on a role that does not match the kubeadm control-plane label", () => {
    const r = compareClusterNodes([node("cp1", "worker"), node("worker1", "control-plane")], json);
    expect(r.ok).toBe(false);
    expect(r.lines.slice(0, 2)).toEqual([
      "cp1: FAILED: configured as worker, but the API labels it control-plane",
      "worker1: FAILED: configured as control-plane, but the API does not label it control-plane",
    ]);
  });
});
