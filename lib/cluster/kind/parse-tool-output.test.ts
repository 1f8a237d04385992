import { describe, expect, it } from "vitest";
import { InputError } from "@/lib/errors";
import { buildKindConfig, expectedNodeNames, kindClusterName } from "./kind-config";
import {
  compareVersions,
  kindErrorLine,
  parseCrictlContainers,
  parseDockerVersion,
  parseKindVersion,
  parseNameLines,
  parseNodeInspect,
  parseNodeReadiness,
} from "./parse-tool-output";

describe("tool output parsing", () => {
  it("reads docker version JSON with and without a reachable daemon", () => {
    // Docker 28.2.2 with the daemon down (captured on the build machine).
    const down =
      '{"Client":{"Version":"28.2.2","ApiVersion":"1.50","DefaultAPIVersion":"1.50","GitCommit":"e6534b4","GoVersion":"go1.24.3","Os":"linux","Arch":"amd64","BuildTime":"Fri May 30 12:07:14 2025","Context":"default"},"Server":null}';
    expect(parseDockerVersion(down)).toEqual({ client: "28.2.2", server: null });
    expect(parseDockerVersion("")).toBeNull();
    expect(parseDockerVersion("Client: Docker Engine")).toBeNull();
  });

  it("reads kind's version line, release or pre-release", () => {
    expect(parseKindVersion("kind v0.32.0 go1.25.3 linux/amd64\n")).toBe("0.32.0");
    expect(parseKindVersion("kind v0.33.0-alpha+8c5d1b2f go1.25.4 linux/arm64")).toBe("0.33.0");
    expect(parseKindVersion("bash: kind: command not found")).toBeNull();
  });

  it("compares versions numerically, not as text", () => {
    expect(compareVersions("0.32.0", "0.9.0")).toBe(1);
    expect(compareVersions("0.31.9", "0.32.0")).toBe(-1);
    expect(compareVersions("0.32.0", "0.32.0")).toBe(0);
  });

  it("takes names from kind get clusters and ignores anything else", () => {
    expect(parseNameLines("breakfix-a\nkind\n\n")).toEqual(["breakfix-a", "kind"]);
    expect(parseNameLines("")).toEqual([]);
  });

  it("orders inspected nodes control plane first and drops kind's HA load balancer", () => {
    const inspect = JSON.stringify(
      [
        ["/c-worker2", "worker"],
        ["/c-external-load-balancer", "external-load-balancer"],
        ["/c-control-plane", "control-plane"],
        ["/c-worker", "worker"],
      ].map(([Name, role]) => ({ Name, State: { Running: true, Status: "running" }, Config: { Labels: { "io.x-k8s.kind.cluster": "c", "io.x-k8s.kind.role": role } } })),
    );
    expect(parseNodeInspect(inspect).map((n) => `${n.name}:${n.role}`)).toEqual(["c-control-plane:control-plane", "c-worker:worker", "c-worker2:worker"]);
    expect(() => parseNodeInspect('[{"Name":"/x"}]')).toThrow(/unexpected shape \(0\.State/);
  });

  it("counts a node Ready only when its Ready condition is True (Unknown is not)", () => {
    const list = {
      items: [
        { metadata: { name: "a" }, status: { conditions: [{ type: "Ready", status: "True" }] } },
        { metadata: { name: "b" }, status: { conditions: [{ type: "Ready", status: "Unknown" }] } },
        { metadata: { name: "c" } },
      ],
    };
    expect(parseNodeReadiness(JSON.stringify(list))).toEqual([
      { name: "a", ready: true },
      { name: "b", ready: false },
      { name: "c", ready: false },
    ]);
  });

  it("reads crictl's nanosecond createdAt as a bigint", () => {
    const out = JSON.stringify({ containers: [{ id: "abc", metadata: { name: "etcd", attempt: 0 }, state: "CONTAINER_EXITED", createdAt: "1763713200123456789" }] });
    expect(parseCrictlContainers(out)[0]!.createdAtNs).toBe(1763713200123456789n);
  });

  it("picks the last ERROR: line kind printed", () => {
    expect(kindErrorLine("Creating cluster \"x\" ...\nERROR: failed to create cluster: boom\nCommand Output: detail")).toBe("ERROR: failed to create cluster: boom");
    expect(kindErrorLine("fine")).toBeNull();
  });
});

describe("kind config and names", () => {
  it("prefixes cluster names once and refuses names that cannot be hostnames", () => {
    expect(kindClusterName("lab-1")).toBe("breakfix-lab-1");
    expect(kindClusterName("breakfix-lab-1")).toBe("breakfix-lab-1");
    expect(() => kindClusterName("x".repeat(41))).toThrow(InputError);
    expect(() => kindClusterName("a_b")).toThrow(InputError);
  });
  it("builds 1 control plane + N workers and names nodes like kind does", () => {
    expect(buildKindConfig(0)).toBe("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n");
    expect(() => buildKindConfig(6)).toThrow(/0 to 5 workers/);
    expect(expectedNodeNames("c", 3)).toEqual(["c-control-plane", "c-worker", "c-worker2", "c-worker3"]);
  });
});
