/**
 * npm run bench:sim [-- --clusters 20] — the sim cluster's start, latency and memory figures:
 *  - time for a 2-node cluster (kube-system included) to become ready, in-process and as a daemon;
 *  - `kubectl get pods -A` latency against it;
 *  - memory per cluster (RSS and PSS of each daemon) with 1 and with N clusters.
 * Targets: ready ≤ 1 s, get ≤ 50 ms, ≤ 50 MB per cluster.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parseConfig } from "@/lib/config";
import { readSimState, simClusterDir } from "@/lib/cluster/sim/daemon/sim-state";
import { startSimCluster } from "@/lib/cluster/sim/sim-cluster";
import { createSimDriver } from "@/lib/cluster/sim/sim-driver";
import type { Cluster } from "@/lib/cluster/types";
import type { KubeObject } from "@/lib/cluster/sim/store/types";
import { ensureDaemonBundle } from "@/lib/cluster/sim/daemon/daemon-bundle";
import https from "node:https";
import { KEY_POOL_TARGET, refillKeyPool, setKeyPoolDir } from "@/lib/cluster/sim/pki/key-pool";

const run = promisify(execFile);

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const CLUSTERS = flag("clusters", 20);
const GETS = flag("gets", 20);

async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function memOf(pid: number): { rss: number; pss: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  let pss = 0;
  try {
    pss = Number(/^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0) * 1024;
  } catch {
    pss = 0;
  }
  return { rss, pss };
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sim-"));
  const lines: string[] = [];
  const report = (l: string) => {
    lines.push(l);
    console.log(l);
  };

  // 1. In-process, with the node side (kubeadm PKI, static pods): API serving, then everything in
  //    kube-system Running and Ready and both nodes Ready.
  setKeyPoolDir(path.join(tmp, "keys"));
  const variants = [
    { label: "rsa-2048 PKI, cold", keyAlgorithm: "rsa-2048" as const, warm: false },
    { label: "rsa-2048 PKI, warm key pool", keyAlgorithm: "rsa-2048" as const, warm: true },
    { label: "ecdsa-p256 PKI", keyAlgorithm: "ecdsa-p256" as const, warm: false },
  ];
  for (const v of variants) {
    const keyAlgorithm = v.keyAlgorithm;
    if (v.warm) await refillKeyPool(KEY_POOL_TARGET);
    const clusterDir = fs.mkdtempSync(path.join(tmp, "c-"));
    const t0 = performance.now();
    const c = await startSimCluster({ name: "bench", workers: 1, keyAlgorithm, clusterDir });
    const serving = performance.now() - t0;
    const ready = (o: KubeObject, type: string) =>
      ((o.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((x) => x.type === type && x.status === "True");
    const isStatic = (p: KubeObject) => Boolean(p.metadata.annotations?.["kubernetes.io/config.mirror"]);
    const up = (p: KubeObject) => (p.status as { phase?: string } | undefined)?.phase === "Running" && ready(p, "Ready");
    // Milestone 1: nodes Ready and the add-ons (CoreDNS, kindnet, kube-proxy) Running and Ready.
    await until("nodes Ready and add-ons Running", () => {
      const pods = c.store.list("pods", { namespace: "kube-system" }).items.filter((p) => !isStatic(p));
      return pods.length > 0 && pods.every(up) && c.store.list("nodes").items.every((n) => ready(n, "Ready"));
    });
    const addonsMs = performance.now() - t0;
    // Milestone 2: the control-plane static pods Ready too (their models start like kubeadm's).
    await until("all of kube-system Ready", () => c.store.list("pods", { namespace: "kube-system" }).items.every(up));
    const allMs = performance.now() - t0;
    report(
      `ready (in-process, 2 nodes with node side, ${v.label}): API serving ${serving.toFixed(0)} ms, nodes + add-ons Ready ${addonsMs.toFixed(0)} ms (target ≤ 1000 ms), control-plane static pods Ready ${allMs.toFixed(0)} ms`,
    );
    if (v.warm) {
      // 2. kubectl get pods -A, discovery cached as after a learner's first command.
      const kc = path.join(tmp, "kubeconfig");
      fs.writeFileSync(kc, c.kubeconfig());
      const env = { ...process.env, KUBECONFIG: kc, HOME: tmp };
      await run("kubectl", ["get", "pods", "-A"], { env });
      const times: number[] = [];
      for (let i = 0; i < GETS; i++) {
        const s = performance.now();
        await run("kubectl", ["get", "pods", "-A"], { env });
        times.push(performance.now() - s);
      }
      report(`kubectl get pods -A: median ${median(times).toFixed(0)} ms, min ${Math.min(...times).toFixed(0)} ms over ${GETS} runs (whole kubectl process; target ≤ 50 ms)`);
      // The API's share: the request kubectl makes (Table, all namespaces) over a kept-alive TLS connection.
      const agent = new https.Agent({ keepAlive: true, ca: c.pki.ca.certPem, cert: c.pki.admin.certPem, key: c.pki.admin.keyPem });
      const get = () =>
        new Promise<void>((resolve, reject) => {
          https
            .get(
              { host: "127.0.0.1", port: c.port, path: "/api/v1/pods?limit=500", agent, headers: { Accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" } },
              (res) => {
                res.resume();
                res.on("end", () => resolve());
              },
            )
            .on("error", reject);
        });
      await get();
      const api: number[] = [];
      for (let i = 0; i < 50; i++) {
        const s = performance.now();
        await get();
        api.push(performance.now() - s);
      }
      agent.destroy();
      report(`  the API request behind it (GET /api/v1/pods as Table): median ${median(api).toFixed(1)} ms`);
    }
    await c.stop();
  }

  // 3. Daemons: memory per cluster with 1 and with N clusters.
  const dataDir = path.join(tmp, "data");
  const driver = createSimDriver({ config: parseConfig({ BREAKFIX_DATA_DIR: dataDir }) }, { startTimeoutMs: 120_000 });
  const clusters: Cluster[] = [];
  try {
    await ensureDaemonBundle({ repoRoot: process.cwd(), outDir: path.join(dataDir, "sim", ".daemon") });
    const t0 = performance.now();
    clusters.push(await driver.create({ name: "bench-0", workers: 1 }));
    report(`daemon start (spawn, rsa-2048 PKI, node files, serving): ${(performance.now() - t0).toFixed(0)} ms`);
    const fast = createSimDriver({ config: parseConfig({ BREAKFIX_DATA_DIR: dataDir }) }, { startTimeoutMs: 120_000, keyAlgorithm: "ecdsa-p256" });
    const t1 = performance.now();
    const ec = await fast.create({ name: "bench-ec", workers: 1 });
    report(`daemon start (spawn, ecdsa-p256 PKI, node files, serving): ${(performance.now() - t1).toFixed(0)} ms`);
    await ec.destroy();
    await new Promise((r) => setTimeout(r, 3000));
    const one = memOf(readSimState(simClusterDir(dataDir, "bench-0"))!.pid);
    report(`memory with 1 cluster: RSS ${mb(one.rss)}, PSS ${mb(one.pss)} (target ≤ 50 MB per cluster)`);
    // The bulk uses ECDSA keys only to keep the run short; memory does not depend on the key type.
    for (let i = 1; i < CLUSTERS; i++) clusters.push(await fast.create({ name: `bench-${i}`, workers: 1 }));
    await new Promise((r) => setTimeout(r, 3000));
    const mems = clusters.map((_, i) => memOf(readSimState(simClusterDir(dataDir, `bench-${i}`))!.pid));
    const rss = mems.reduce((a, m) => a + m.rss, 0);
    const pss = mems.reduce((a, m) => a + m.pss, 0);
    report(`memory with ${CLUSTERS} clusters, one process each: RSS ${mb(rss / CLUSTERS)} per cluster (${mb(rss)} summed), PSS ${mb(pss / CLUSTERS)} per cluster (${mb(pss)} total)`);
    for (const c of clusters.splice(0)) await c.destroy().catch(() => undefined);

    // The shared host: all clusters in one process.
    const hostDir = path.join(tmp, "host");
    const host = createSimDriver({ config: parseConfig({ BREAKFIX_DATA_DIR: hostDir }) }, { startTimeoutMs: 120_000, keyAlgorithm: "ecdsa-p256", processModel: "shared-host" });
    clusters.push(await host.create({ name: "host-0", workers: 1 }));
    await new Promise((r) => setTimeout(r, 3000));
    const hostPid = readSimState(simClusterDir(hostDir, "host-0"))!.pid;
    const h1 = memOf(hostPid);
    report(`shared host with 1 cluster: RSS ${mb(h1.rss)}, PSS ${mb(h1.pss)}`);
    for (let i = 1; i < CLUSTERS; i++) clusters.push(await host.create({ name: `host-${i}`, workers: 1 }));
    await new Promise((r) => setTimeout(r, 3000));
    const hn = memOf(hostPid);
    report(`shared host with ${CLUSTERS} clusters: RSS ${mb(hn.rss / CLUSTERS)} per cluster (${mb(hn.rss)} total), PSS ${mb(hn.pss / CLUSTERS)} per cluster`);
  } finally {
    for (const c of clusters) await c.destroy().catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
