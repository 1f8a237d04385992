import { describe, expect, it } from "vitest";
import type { Cluster } from "@/lib/cluster/types";
import type { V1Node } from "@kubernetes/client-node";
import { checkRequirements, clusterFacts, cniFromFiles, schedulableNodeCount } from "./cluster-facts";

describe("cluster facts and requirements", () => {
  it("names the CNI from its config file", () => {
    expect(cniFromFiles(["10-kindnet.conflist"])).toBe("kindnet");
    expect(cniFromFiles(["10-calico.conflist", "calico-kubeconfig"])).toBe("calico");
    expect(cniFromFiles([])).toBe("none");
  });

  it("counts workers from the node list and lists net.d on the control plane", async () => {
    const seen: string[][] = [];
    const cluster = {
      nodes: async () => [
        { name: "cp", role: "control-plane" },
        { name: "w1", role: "worker" },
        { name: "w2", role: "worker" },
      ],
      exec: async (node: string, argv: string[]) => (seen.push([node, ...argv]), { code: 0, stdout: "10-flannel.conflist\n", stderr: "" }),
    } as unknown as Cluster;
    // No kubeconfig to ask the API with: the schedulable nodes are unknown, not zero.
    expect(await clusterFacts(cluster)).toEqual({ workers: 2, cni: "flannel", schedulableNodes: null });
    expect(seen).toEqual([["cp", "ls", "-1", "/etc/cni/net.d"]]);
  });

  it("reports an unmet need with its reason, never as a pass or a failure", () => {
    expect(checkRequirements({ cni: "kindnet", workers: 1 }, { workers: 0, cni: "calico", schedulableNodes: 1 })).toEqual({
      applicable: false,
      reason: "needs 1 worker node(s); this cluster has 0; needs the kindnet CNI; this cluster runs calico",
    });
    expect(checkRequirements({ cni: "any" }, { workers: 0, cni: "none", schedulableNodes: 1 })).toEqual({ applicable: true });
    expect(checkRequirements(undefined, { workers: 0, cni: "none", schedulableNodes: 1 })).toEqual({ applicable: true });
  });

  it("counts the nodes an untolerating pod can land on: the control-plane taint and cordons count, condition taints do not", () => {
    const node = (taints: { key: string; effect: string }[], unschedulable = false) => ({ spec: { taints, unschedulable } }) as V1Node;
    expect(
      schedulableNodeCount([
        node([{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }]),
        node([{ key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }]),
        node([], true),
        node([{ key: "example.com/gpu", effect: "PreferNoSchedule" }]),
      ]),
    ).toBe(2);
  });

  it("calls a pack whose learner's pod cannot schedule not applicable, and lets an unknown count through", () => {
    expect(checkRequirements({ schedulableNodes: 1 }, { workers: 0, cni: "calico", schedulableNodes: 0 })).toEqual({
      applicable: false,
      reason: "needs 1 node(s) that take pods without tolerations; this cluster has 0 (a control-plane taint or cordon keeps ordinary pods off the others)",
    });
    expect(checkRequirements({ schedulableNodes: 1 }, { workers: 0, cni: "calico", schedulableNodes: 1 })).toEqual({ applicable: true });
    expect(checkRequirements({ schedulableNodes: 1 }, { workers: 0, cni: "calico", schedulableNodes: null })).toEqual({ applicable: true });
  });
});
