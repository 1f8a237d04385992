import { afterEach, describe, expect, it } from "vitest";
import type { Pod } from "../controllers/api-types";
import { startWorkloadSim, type WorkloadSim } from "../controllers/start-workload-sim";
import { NodeLogParser } from "@/lib/timeline/parse-node-log";

let sim: WorkloadSim | undefined;
afterEach(() => sim?.stop());

const pod = (name: string, image: string): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "cap", uid: "" },
  spec: { containers: [{ name, image }], terminationGracePeriodSeconds: 2 },
});

/** The messages of klog and logrus lines, without times and ids, to compare with a real node's. */
const kubeletMessages = (lines: string[]) => lines.map((l) => l.replace(/^[IWE]\d{4} [\d:.]+\s+\d+ /, "").replace(/[0-9a-f]{64}/g, "<id>").replace(/[0-9a-f-]{36}/g, "<uid>"));
const runtimeMessages = (lines: string[]) => lines.map((l) => /msg="((?:[^"\\]|\\.)*)"/.exec(l)?.[1]?.replace(/[0-9a-f]{64}/g, "<id>").replace(/[0-9a-f-]{36}/g, "<uid>") ?? l);

describe("the sim kubelet's and containerd's journal for a pod's life", () => {
  it("logs what a v1.32 kubelet and containerd 2 log, in order: SyncLoop ADD, sandbox, pull, create, start, SyncLoop DELETE, kill, REMOVE", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    const k = s.kubelets.get("kind-control-plane")!;
    s.apply("pods", pod("web", "nginx:1.27"));
    await s.waitFor("running", () => (s.store.get("pods", "cap", "web") as Pod | undefined)?.status?.containerStatuses?.[0]?.state.running);
    s.store.delete("pods", "cap", "web");
    await s.waitFor("purged", () => !s.store.get("pods", "cap", "web"));

    const kubelet = kubeletMessages(k.journal()).filter((l) => l.includes("cap/web"));
    expect(kubelet).toEqual([
      'kubelet.go:2430] "SyncLoop ADD" source="api" pods=["cap/web"]',
      'kuberuntime_manager.go:1050] "No sandbox for pod can be found. Need to start a new one" pod="cap/web"',
      'kubelet.go:2468] "SyncLoop (PLEG): event for pod" pod="cap/web" event={"ID":"<uid>","Type":"ContainerStarted","Data":"<id>"}',
      'kubelet.go:2468] "SyncLoop (PLEG): event for pod" pod="cap/web" event={"ID":"<uid>","Type":"ContainerStarted","Data":"<id>"}',
      'kubelet.go:2446] "SyncLoop DELETE" source="api" pods=["cap/web"]',
      'kuberuntime_container.go:809] "Killing container with a grace period" pod="cap/web" podUID="<uid>" containerName="web" containerID="containerd://<id>" gracePeriod=2',
      'kubelet.go:2468] "SyncLoop (PLEG): event for pod" pod="cap/web" event={"ID":"<uid>","Type":"ContainerDied","Data":"<id>"}',
      'kubelet.go:2440] "SyncLoop REMOVE" source="api" pods=["cap/web"]',
    ]);
    const runtime = runtimeMessages(k.runtimeJournal!()).filter((l) => !/kube-|etcd|coredns|kindnet/.test(l));
    expect(runtime).toEqual([
      "RunPodSandbox for &PodSandboxMetadata{Name:web,Uid:<uid>,Namespace:cap,Attempt:0,}",
      'RunPodSandbox for &PodSandboxMetadata{Name:web,Uid:<uid>,Namespace:cap,Attempt:0,} returns sandbox id \\"<id>\\"',
      ...(runtime.some((l) => l.startsWith("PullImage")) ? ['PullImage \\"nginx:1.27\\"', expect.stringMatching(/^Pulled image \\"nginx:1\.27\\" with image id \\"sha256:<id>\\", repo tag \\"docker\.io\/library\/nginx:1\.27\\"/)] : []),
      'CreateContainer within sandbox \\"<id>\\" for container &ContainerMetadata{Name:web,Attempt:0,}',
      'CreateContainer within sandbox \\"<id>\\" for &ContainerMetadata{Name:web,Attempt:0,} returns container id \\"<id>\\"',
      'StartContainer for \\"<id>\\"',
      'StartContainer for \\"<id>\\" returns successfully',
      'StopContainer for \\"<id>\\" with timeout 2 (s)',
      'Stop container \\"<id>\\" with signal terminated',
      'StopContainer for \\"<id>\\" returns successfully',
      'StopPodSandbox for \\"<id>\\"',
      'TearDown network for sandbox \\"<id>\\" successfully',
      'StopPodSandbox for \\"<id>\\" returns successfully',
    ]);
  });

  it("reads back as timeline rows that the real parser understands", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    const k = s.kubelets.get("kind-control-plane")!;
    s.apply("pods", pod("web", "nginx:1.27.9999"));
    await s.waitFor("pull failed", () => k.runtimeJournal!().some((l) => l.includes("failed")));
    const parser = new NodeLogParser("kind-control-plane");
    const rows = [...k.journal(), ...k.runtimeJournal!()].map((l) => parser.parse(l, new Date())).filter((r) => r?.pods?.includes("web") || r?.action.includes("nginx:1.27.9999"));
    expect(rows.map((r) => r?.action)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SyncLoop ADD \(api\)/),
        expect.stringMatching(/^RunPodSandbox done/),
        "pulling image nginx:1.27.9999",
        '⚠ PullImage "nginx:1.27.9999" failed',
      ]),
    );
  });
});
