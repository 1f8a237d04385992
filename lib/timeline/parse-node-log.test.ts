import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeLogParser } from "./parse-node-log";

const journal = readFileSync(path.join(__dirname, "fixtures/kind-worker.journal.txt"), "utf8").trim().split("\n");
const now = new Date("2026-12-03T06:00:00Z");

describe("kubelet and containerd journal lines as rows", () => {
  it("follows a pod from SyncLoop ADD through sandbox, pull, start, SIGTERM and removal, each with its line's own time", () => {
    const parser = new NodeLogParser("kind-worker");
    const rows = journal.map((l) => parser.parse(l, now)).filter((r) => r !== undefined);
    const web = rows.filter((r) => r.pods?.includes("web"));
    expect(web.map((r) => `${r.actor} ${r.action.split(":")[0]}`)).toEqual([
      "kubelet/kind-worker SyncLoop ADD (api)",
      "kubelet/kind-worker no sandbox yet",
      "containerd/kind-worker RunPodSandbox",
      "containerd/kind-worker RunPodSandbox done",
      "kubelet/kind-worker PLEG ContainerStarted 4c2b1a0f9e8d7",
      "containerd/kind-worker creating container web",
      "containerd/kind-worker container web created",
      "containerd/kind-worker starting container 8f3e1b2a6c5d4",
      "containerd/kind-worker container 8f3e1b2a6c5d4 started",
      "kubelet/kind-worker PLEG ContainerStarted 8f3e1b2a6c5d4",
      "kubelet/kind-worker SyncLoop DELETE (api)",
      "kubelet/kind-worker killing container web with a 30s grace period (SIGTERM now, SIGKILL when it runs out)",
      "containerd/kind-worker stopping container 8f3e1b2a6c5d4 (timeout 30s)",
      "containerd/kind-worker SIGTERM → container 8f3e1b2a6c5d4 (signal terminated)",
      "containerd/kind-worker container 8f3e1b2a6c5d4 stopped",
      "containerd/kind-worker stopping sandbox 4c2b1a0f9e8d7",
      "containerd/kind-worker pod network torn down (CNI DEL) for sandbox 4c2b1a0f9e8d7",
      "containerd/kind-worker sandbox 4c2b1a0f9e8d7 stopped",
      "kubelet/kind-worker PLEG ContainerDied 8f3e1b2a6c5d4",
      "kubelet/kind-worker SyncLoop DELETE (api)",
      "kubelet/kind-worker SyncLoop REMOVE (api)",
    ]);
    expect(web[0]).toMatchObject({ at: "2026-12-03T05:40:00.201Z", namespace: "default", object: "pod/web", source: "kubelet-log" });
    expect(web[2]).toMatchObject({ at: "2026-12-03T05:40:00.291Z", source: "containerd-log" });
  });

  it("names an image pull that has no pod on its line, and a SIGKILL after the grace period", () => {
    const parser = new NodeLogParser("kind-worker");
    const rows = journal.map((l) => parser.parse(l, now)).filter((r) => r !== undefined);
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["pulling image nginx", "pulled image nginx", "SIGKILL → container 9a9a1b2a6c5d4: it outlived its grace period"]));
  });

  it("leaves out the kubelet's routine lines that concern no pod", () => {
    const parser = new NodeLogParser("kind-worker");
    expect(parser.parse(journal.find((l) => l.includes("Fast updating node status"))!, now)).toBeUndefined();
  });

  it("keeps a kubelet error that concerns no pod, as a warning row", () => {
    const parser = new NodeLogParser("w1");
    const row = parser.parse('E1203 05:40:37.123456     245 kubelet_node_status.go:107] "Unable to register node with API server" err="connection refused" node="w1"', now);
    expect(row).toMatchObject({ actor: "kubelet/w1", action: "⚠ Unable to register node with API server", object: "node/w1" });
  });

  it("dates a December line read in January in the year before", () => {
    const parser = new NodeLogParser("w1");
    const row = parser.parse('I1231 23:59:59.500000     245 kubelet.go:2430] "SyncLoop ADD" source="api" pods=["default/web"]', new Date("2027-01-01T00:00:05Z"));
    expect(row?.at).toBe("2026-12-31T23:59:59.500Z");
  });

  it("ignores lines that are neither klog nor logrus", () => {
    expect(new NodeLogParser("w1").parse("Dec 03 05:40:00 w1 systemd[1]: Started kubelet.service", now)).toBeUndefined();
  });
});
