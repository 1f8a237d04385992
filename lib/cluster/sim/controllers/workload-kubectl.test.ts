import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiServer, type ApiServerHandle } from "../api/api-server";
import { createClusterPki, kindStyleKubeconfig } from "../sim-cluster";
import { startWorkloadSim, type WorkloadSim } from "./start-workload-sim";
import { toolsSkipReason } from "@/lib/testing/required-tools";

/**
 * The workload behaviour seen through real kubectl against the sim API server: STATUS and
 * RESTARTS columns, describe events, logs --previous and rollout commands.
 */
const run = promisify(execFile);
const hasKubectl = toolsSkipReason({ suite: "workload-kubectl.test.ts", tools: ["kubectl"] }) === null;

let sim: WorkloadSim;
let api: ApiServerHandle;
let kubeconfig: string;
let dir: string;

async function kubectl(...args: string[]): Promise<string> {
  const r = await run("kubectl", ["--kubeconfig", kubeconfig, ...args], { timeout: 30_000 });
  return r.stdout;
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  if (!hasKubectl) return;
  sim = startWorkloadSim({ name: "kind", timeScale: 10 });
  const pki = await createClusterPki("kind", "ecdsa-p256");
  api = createApiServer({ store: sim.store, clock: sim.clock, servingCertPem: pki.apiserver.certPem, servingKeyPem: pki.apiserver.keyPem, clientCaPem: pki.ca.certPem, logs: () => sim.logs, advertiseAddress: "172.18.0.2" });
  const port = await api.listen(0);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-workload-kubectl-"));
  kubeconfig = path.join(dir, "kubeconfig");
  fs.writeFileSync(kubeconfig, kindStyleKubeconfig("kind", `https://127.0.0.1:${port}`, pki.ca.certPem, pki.admin));
  await kubectl("create", "namespace", "cap");
}, 60_000);

afterAll(async () => {
  if (!hasKubectl) return;
  await api.close();
  sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasKubectl)("workloads through kubectl (needs kubectl on PATH)", () => {
  it("shows a deployment's pods Running with the kubelet's events in describe", async () => {
    await kubectl("-n", "cap", "create", "deployment", "web", "--image=nginx:1.27", "--replicas=2");
    await until("rollout", async () => (await kubectl("-n", "cap", "rollout", "status", "deployment/web", "--timeout=1s")).includes("successfully rolled out"));
    const pods = await kubectl("-n", "cap", "get", "pods");
    expect(pods).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    expect(pods).toMatch(/web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+/);
    const describe = await kubectl("-n", "cap", "describe", "pods", "-l", "app=web");
    expect(describe).toMatch(/Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned cap\/web-\S+ to kind-control-plane/);
    expect(describe).toMatch(/Normal\s+Pulled\s+\S+\s+kubelet\s+Container image "nginx:1\.27" already present on machine/);
    expect(describe).toMatch(/Normal\s+Created\s+\S+\s+kubelet\s+Created container: nginx/);
    expect(describe).toMatch(/Normal\s+Started\s+\S+\s+kubelet\s+Started container nginx/);
  });

  it("rolls a new image out and back with kubectl rollout undo", async () => {
    await kubectl("-n", "cap", "set", "image", "deployment/web", "nginx=nginx:1.26");
    await until("rollout 2", async () => (await kubectl("-n", "cap", "rollout", "status", "deployment/web", "--timeout=1s")).includes("successfully rolled out"));
    const history = await kubectl("-n", "cap", "rollout", "history", "deployment/web");
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    await kubectl("-n", "cap", "rollout", "undo", "deployment/web");
    await until("undo", async () => (await kubectl("-n", "cap", "get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image} {.status.updatedReplicas} {.status.availableReplicas}")) === "nginx:1.27 2 2");
    await kubectl("-n", "cap", "rollout", "restart", "deployment/web");
    await kubectl("-n", "cap", "scale", "deployment/web", "--replicas=3");
    await until("restart and scale", async () => {
      const out = await kubectl("-n", "cap", "get", "deploy", "web", "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision} {.status.updatedReplicas} {.status.availableReplicas} {.status.replicas}");
      return out === "4 3 3 3";
    });
    const rs = await kubectl("-n", "cap", "get", "rs", "--no-headers");
    expect(rs.trim().split("\n")).toHaveLength(3);
    expect(rs).toMatch(/^web-\S+\s+3\s+3\s+3\s/m);
  });

  it("shows image pull failures and crash loops in STATUS, RESTARTS and logs --previous", async () => {
    await kubectl("-n", "cap", "run", "bad", "--image=nginx:1.27.9999");
    await kubectl("-n", "cap", "run", "crash", "--image=busybox:1.36", "--", "sh", "-c", "echo starting; exit 1");
    await until("ImagePullBackOff", async () => /bad\s+0\/1\s+(ErrImagePull|ImagePullBackOff)\s+0\s/.test(await kubectl("-n", "cap", "get", "pod", "bad")));
    await until("crash restarted twice", async () => /crash\s+0\/1\s+(Error|CrashLoopBackOff)\s+[2-9] \(\d+s ago\)\s/.test(await kubectl("-n", "cap", "get", "pod", "crash")));
    const describe = await kubectl("-n", "cap", "describe", "pod", "bad");
    expect(describe).toMatch(/Warning\s+Failed\s+.*kubelet\s+Error: ErrImagePull/);
    expect(describe).toContain('failed to resolve reference "docker.io/library/nginx:1.27.9999": docker.io/library/nginx:1.27.9999: not found');
    const logs = await kubectl("-n", "cap", "logs", "crash", "--previous").catch((e: { stdout?: string }) => e.stdout ?? "");
    expect(logs).toMatch(/^(starting\n|unable to retrieve container logs for containerd:\/\/[0-9a-f]{64})$/);
    await expect(kubectl("-n", "cap", "logs", "bad")).rejects.toThrow(/is waiting to start: (trying and failing to pull image|image can't be pulled)/);
  });
});
