import { describe, expect, it } from "vitest";
import type { Cluster } from "@/lib/cluster/types";
import { checkRequirements, clusterFacts, cniFromFiles } from "./cluster-facts";

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
    expect(await clusterFacts(cluster)).toEqual({ workers: 2, cni: "flannel" });
    expect(seen).toEqual([["cp", "ls", "-1", "/etc/cni/net.d"]]);
  });

  it("reports an unmet need with its reason, never as a pass or a failure", () => {
    expect(checkRequirements({ cni: "kindnet", workers: 1 }, { workers: 0, cni: "calico" })).toEqual({
      applicable: false,
      reason: "needs 1 worker node(s); this cluster has 0; needs the kindnet CNI; this cluster runs calico",
    });
    expect(checkRequirements({ cni: "any" }, { workers: 0, cni: "none" })).toEqual({ applicable: true });
    expect(checkRequirements(undefined, { workers: 0, cni: "none" })).toEqual({ applicable: true });
  });
});
