import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import type { Cluster } from "@/lib/cluster/types";
import { createSimDriver } from "@/lib/cluster/sim/sim-driver";
import { toolsSkipReason } from "@/lib/testing/required-tools";
import type { TimelineRow } from "@/lib/timeline/timeline-row";
import { ClusterWatch } from "./cluster-watch";
import { LabTimeline } from "./lab-timeline";

/**
 * The timeline against a real sim cluster: real kubectl creates and deletes a pod, the real
 * watch and the nodes' journals (read through the driver's exec) must tell the story in order.
 */
const run = promisify(execFile);
const skip = toolsSkipReason({ suite: "lab-timeline.test.ts", tools: ["kubectl", "bwrap"], install: "apt-get install bubblewrap" });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-timeline-"));
const driver = createSimDriver({ config: parseConfig({ BREAKFIX_DATA_DIR: dataDir }) }, { startTimeoutMs: 90_000, keyAlgorithm: "ecdsa-p256" });
let cluster: Cluster | undefined;
let kubeconfig = "";

beforeAll(async () => {
  if (skip) return;
  cluster = await driver.create({ name: "tl", workers: 1 });
  kubeconfig = path.join(dataDir, "kc.yaml");
  fs.writeFileSync(kubeconfig, await cluster.kubeconfig());
}, 120_000);

afterAll(async () => {
  await cluster?.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function until(rows: () => TimelineRow[], what: string, ok: (r: TimelineRow) => boolean, timeoutMs = 60_000): Promise<TimelineRow> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const hit = rows().find(ok);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for the row: ${what}\n${rows().map((r) => `${r.actor} | ${r.action} | ${r.field ?? ""}`).join("\n")}`);
}

describe.skipIf(skip !== null)(`the lab timeline on a sim cluster${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("shows kubectl run then kubectl delete as Scheduled, Pulled/Started, Ready, deletionTimestamp, Killing and removal, in order, with the kubelet's and containerd's lines", async () => {
    const c = cluster!;
    const timeline = new LabTimeline({
      cluster: c,
      pollMs: 500,
      observe: (fn, onStopped) => {
        const w = new ClusterWatch({ kubeconfig: () => c.kubeconfig() });
        const off = w.observe(fn);
        w.onStopped(onStopped);
        return () => {
          off();
          w.stop();
        };
      },
    });
    timeline.start();
    try {
      const pod = () => timeline.feed.rows({ namespace: "default", pod: "t" });
      // The watch's first list is the baseline; kubectl run must come after it to be news.
      await new Promise((r) => setTimeout(r, 1500));
      await run("kubectl", ["--kubeconfig", kubeconfig, "run", "t", "--image=nginx"]);
      const created = await until(pod, "pod created", (r) => r.actor === "kube-apiserver" && r.action.startsWith("pod created"));
      const scheduled = await until(pod, "Scheduled", (r) => r.source === "event" && r.action === "Scheduled");
      const pulled = await until(pod, "Pulled", (r) => r.source === "event" && r.action === "Pulled");
      const started = await until(pod, "Started", (r) => r.source === "event" && r.action === "Started");
      const ready = await until(pod, "Ready=True", (r) => r.field === "status.conditions[Ready]" && r.to === "True");
      expect(scheduled.actor).toBe("default-scheduler");
      expect(pulled.actor).toMatch(/^kubelet\/tl-(worker|control-plane)$/);
      expect(created.seq).toBeLessThan(scheduled.seq);
      expect(scheduled.seq).toBeLessThan(pulled.seq);
      expect(pulled.seq).toBeLessThan(started.seq);
      expect(started.seq).toBeLessThan(ready.seq);

      await run("kubectl", ["--kubeconfig", kubeconfig, "delete", "pod", "t", "--wait=false"]);
      const marked = await until(pod, "deletionTimestamp", (r) => r.field === "metadata.deletionTimestamp");
      const killing = await until(pod, "Killing", (r) => r.source === "event" && r.action === "Killing");
      const removed = await until(pod, "removal", (r) => r.action.startsWith("pod object removed"));
      expect(marked.action).toBe("deletion requested: grace period 30s starts");
      expect(ready.seq).toBeLessThan(marked.seq);
      expect(marked.seq).toBeLessThan(killing.seq);
      expect(killing.seq).toBeLessThan(removed.seq);

      // The node's journal, read through Cluster.exec: the kubelet's and containerd's own lines, at their own times.
      const add = await until(pod, "SyncLoop ADD", (r) => r.source === "kubelet-log" && r.action.startsWith("SyncLoop ADD"));
      const sandbox = await until(pod, "RunPodSandbox", (r) => r.source === "containerd-log" && r.action.startsWith("RunPodSandbox done"));
      const kill = await until(pod, "Killing container with a grace period", (r) => r.source === "kubelet-log" && r.action.startsWith("killing container t with a 30s grace period"));
      await until(pod, "SyncLoop REMOVE", (r) => r.source === "kubelet-log" && r.action.startsWith("SyncLoop REMOVE"));
      expect(add.actor).toBe(pulled.actor);
      expect(sandbox.actor).toBe(pulled.actor.replace("kubelet/", "containerd/"));
      expect(Date.parse(add.at)).toBeLessThanOrEqual(Date.parse(sandbox.at));
      expect(Date.parse(sandbox.at)).toBeLessThanOrEqual(Date.parse(kill.at));
    } finally {
      timeline.stop();
    }
  }, 150_000);
});
