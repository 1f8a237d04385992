import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkloadSim, type WorkloadSim } from "@/lib/cluster/sim/controllers/start-workload-sim";
import type { Pod } from "@/lib/cluster/sim/controllers/api-types";
import type { ProcessModelContext, StaticPodSource } from "@/lib/cluster/sim/kubelet/kubelet-seams";
import { kindNodeSpecs } from "./node-spec";
import type { ApiEndpointState } from "./fleet-state";
import { SimNodeFleet } from "./sim-node-fleet";
import { toolsSkipReason } from "@/lib/testing/required-tools";

/**
 * The node side on top of the real kubelet and controller models (no HTTPS API here; see
 * sim-node-kubectl.test.ts for kubectl): manifests → static pods → component models → crictl,
 * systemctl, journalctl, kubeadm and etcdctl inside a real bubblewrap node shell.
 */
const bwrapMissing = toolsSkipReason({ suite: "sim-node-fleet.test.ts", tools: ["bwrap"], install: "apt-get install bubblewrap" }) !== null;
const SCALE = 10;
let dir: string;
let sim: WorkloadSim;
let fleet: SimNodeFleet;
const endpoint: ApiEndpointState[] = [];
const cp = "lab-control-plane";
const worker = "lab-worker";

beforeAll(async () => {
  if (bwrapMissing) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-fleet-"));
  let f: SimNodeFleet | null = null;
  // The kubelets start inside startWorkloadSim, before the fleet exists: hand them forwarding hooks.
  const subscribers = new Map<string, Set<() => void>>();
  const source = (node: string): StaticPodSource => ({
    list: () => (f ? (f.kubeletHooks(node).staticPods?.list() ?? []) : []),
    subscribe: (fn) => {
      const set = subscribers.get(node) ?? new Set();
      set.add(fn);
      subscribers.set(node, set);
      return () => set.delete(fn);
    },
  });
  sim = startWorkloadSim({
    name: "lab",
    workers: 1,
    timeScale: SCALE,
    hooks: (node) => ({ staticPods: source(node), processModel: (ctx: ProcessModelContext) => f?.kubeletHooks(node).processModel?.(ctx) }),
  });
  f = await SimNodeFleet.create({ clusterName: "lab", clusterDir: dir, nodes: kindNodeSpecs("lab", 1), clock: sim.clock, server: "https://127.0.0.1:40999", store: sim.store, algorithm: "ecdsa-p256" });
  fleet = f;
  for (const [name, k] of sim.kubelets) fleet.attachKubelet(name, k);
  fleet.connect({
    setApiEndpoint: (s) => endpoint.push(s),
    setServingCert: () => {},
    setClientCa: () => {},
    setLeader: (c, leading) => (c === "kube-scheduler" ? sim.controllers.setSchedulerRunning(leading) : sim.controllers.setControllerManagerRunning(leading)),
    setEtcdData: () => {},
  });
  await fleet.start();
  for (const node of [cp, worker]) {
    fleet.kubeletHooks(node).staticPods?.subscribe(() => {});
    (fleet.kubeletHooks(node).staticPods as { rescan?: () => void }).rescan?.();
    for (const fn of subscribers.get(node) ?? []) fn();
    fleet.kubeletHooks(node).staticPods?.subscribe(() => {
      for (const fn of subscribers.get(node) ?? []) fn();
    });
  }
}, 60_000);

afterAll(async () => {
  if (bwrapMissing) return;
  await fleet.stop();
  sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const pod = (name: string) => sim.store.get("pods", "kube-system", name) as Pod | undefined;
const running = (name: string) => pod(name)?.status?.containerStatuses?.[0]?.state?.running !== undefined;

describe.skipIf(bwrapMissing)("sim nodes on the kubelet model (needs bubblewrap)", () => {
  it("runs the control plane from the manifests and publishes mirror pods named <pod>-<node>", async () => {
    for (const c of ["etcd", "kube-apiserver", "kube-scheduler", "kube-controller-manager"]) {
      await sim.waitFor(`${c}-${cp} running`, () => running(`${c}-${cp}`), 20_000);
    }
    await sim.waitFor("API endpoint serving", () => endpoint.at(-1) === "serving", 10_000);
    expect(pod(`etcd-${cp}`)?.metadata.annotations?.["kubernetes.io/config.source"]).toBe("file");
  });

  it("gives a node shell with the node's files, hostname and KUBECONFIG", async () => {
    const r = await fleet.exec(cp, ["bash", "-c", 'hostname; echo "$KUBECONFIG"; head -3 /etc/kubernetes/manifests/etcd.yaml; openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -subject']);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`${cp}\n/etc/kubernetes/admin.conf\napiVersion: v1\nkind: Pod\nmetadata:`);
    expect(r.stdout).toContain("subject=CN = kube-apiserver");
    const w = await fleet.exec(worker, ["bash", "-c", 'echo "[$KUBECONFIG]"; ls /etc/kubernetes']);
    expect(w.stdout).toBe("[]\nkubelet.conf\nmanifests\npki\n");
  });

  it("lists the control-plane containers with crictl and their ports with ss", async () => {
    const ps = await fleet.exec(cp, ["crictl", "ps"]);
    expect(ps.code).toBe(0);
    expect(ps.stdout.split("\n")[0]).toMatch(/^CONTAINER {11}IMAGE {15}CREATED {13,}STATE {15}NAME {16,}ATTEMPT {13}POD ID {14}POD$/);
    expect(ps.stdout).toMatch(new RegExp(`[0-9a-f]{13} {7}[0-9a-f]{13} {7}.+Running +etcd +0 +[0-9a-f]{13} +etcd-${cp}`));
    const ss = await fleet.exec(cp, ["ss", "-lntp"]);
    expect(ss.stdout).toContain("127.0.0.1:2379");
    expect(ss.stdout).toContain('users:(("kube-apiserver"');
    expect(ss.stdout).toContain("127.0.0.1:10259");
  });

  it("keeps the kubelet's log files under /var/log/pods with /var/log/containers symlinks", async () => {
    await sim.waitFor("the apiserver log file", () => fs.readdirSync(path.join(dir, "nodes", cp, "var/log/containers")).some((f) => f.startsWith(`kube-apiserver-${cp}_kube-system_kube-apiserver-`)), 10_000);
    const r = await fleet.exec(cp, ["bash", "-c", "tail -n 1 /var/log/containers/kube-apiserver-*.log; ls /var/log/pods | grep -c kube-system_etcd-"]);
    expect(r.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) F .+\n1\n$/);
  });

  it("answers etcdctl endpoint health with kubeadm's client certificate, and fails without it", async () => {
    const env = [
      "ETCDCTL_API=3",
      "ETCDCTL_CACERT=/etc/kubernetes/pki/etcd/ca.crt",
      "ETCDCTL_CERT=/etc/kubernetes/pki/etcd/healthcheck-client.crt",
      "ETCDCTL_KEY=/etc/kubernetes/pki/etcd/healthcheck-client.key",
    ];
    const ok = await fleet.exec(cp, ["env", ...env, "etcdctl", "--endpoints=https://127.0.0.1:2379", "endpoint", "health"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^https:\/\/127\.0\.0\.1:2379 is healthy: successfully committed proposal: took = [\d.]+ms\n$/);
    const bad = await fleet.exec(cp, ["etcdctl", "--endpoints=https://127.0.0.1:2379", "endpoint", "health"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("https://127.0.0.1:2379 is unhealthy: failed to commit proposal: context deadline exceeded");
  });

  it("prints kubeadm certs check-expiration in kubeadm's layout", async () => {
    const r = await fleet.exec(cp, ["kubeadm", "certs", "check-expiration"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED\n");
    expect(r.stdout).toMatch(/\napiserver {18}[A-Z][a-z]{2} \d{2}, \d{4} \d{2}:\d{2} UTC {3}36[45]d {12}ca {22}no {6}\n/);
    expect(r.stdout).toMatch(/\nca {22}[A-Z][a-z]{2} \d{2}, \d{4} \d{2}:\d{2} UTC {3}9y {14}no {6}\n/);
  });

  it("reproduces the etcd listen-client-urls fault: apiserver crash loop, then recovery after the fix", async () => {
    const file = "/etc/kubernetes/manifests/etcd.yaml";
    const before = await fleet.exec(cp, ["cat", file]);
    // What a learner does on a kind node: keep the backup outside the manifests dir, edit with sed.
    await fleet.exec(cp, ["cp", file, "/root/etcd.yaml.orig"]);
    const edit = await fleet.exec(cp, ["sed", "-i", "s#--listen-client-urls=https://127.0.0.1:2379,#--listen-client-urls=#", file]);
    expect(edit.code).toBe(0);
    await sim.waitFor("the apiserver to go down", () => endpoint.at(-1) === "down" || endpoint.at(-1) === "etcd-unreachable", 20_000);
    await sim.waitFor("kube-apiserver to exit with rising attempts", () => {
      const k = sim.kubelets.get(cp)!;
      return k.containers().some((c) => c.name === "kube-apiserver" && c.state === "Exited" && c.attempt >= 1);
    }, 30_000);
    const ps = await fleet.exec(cp, ["crictl", "ps", "-a", "--name", "kube-apiserver"]);
    expect(ps.stdout).toMatch(/Exited +kube-apiserver/);
    const apiLogs = await fleet.exec(cp, ["bash", "-c", "crictl logs $(crictl ps -a --name kube-apiserver -q | head -1) 2>&1"]);
    expect(apiLogs.stdout).toContain("dial tcp 127.0.0.1:2379: connect: connection refused");
    const journal = await fleet.exec(cp, ["journalctl", "-u", "kubelet", "--no-pager"]);
    expect(journal.stdout).toContain("kube-apiserver");
    // Restore and restart the kubelet, the remedy learners meet in the field.
    await fleet.exec(cp, ["cp", "/root/etcd.yaml.orig", file]);
    expect((await fleet.exec(cp, ["cat", file])).stdout).toBe(before.stdout);
    await fleet.exec(cp, ["systemctl", "restart", "kubelet"]);
    await sim.waitFor("the apiserver to serve again", () => endpoint.at(-1) === "serving", 40_000);
    // The scheduler and controller-manager lost their leases while the apiserver was down: they restarted once.
    for (const name of ["kube-scheduler", "kube-controller-manager"]) {
      const c = sim.kubelets.get(cp)!.containers().filter((x) => x.name === name);
      expect(Math.max(...c.map((x) => x.attempt)), name).toBeGreaterThanOrEqual(1);
    }
    const exited = await fleet.exec(cp, ["bash", "-c", "crictl logs $(crictl ps -a --name kube-scheduler --state exited -q | head -1) 2>&1"]);
    expect(exited.stdout).toContain('"leaderelection lost"');
  }, 90_000);

  it("stops and starts the kubelet with systemctl", async () => {
    await fleet.exec(worker, ["systemctl", "stop", "kubelet"]);
    const st = await fleet.exec(worker, ["systemctl", "status", "kubelet"]);
    expect(st.code).toBe(3);
    expect(st.stdout).toContain("Active: inactive (dead) since");
    expect((await fleet.exec(worker, ["systemctl", "is-active", "kubelet"])).stdout).toBe("inactive\n");
    expect(sim.kubelets.get(worker)!.running()).toBe(false);
    await fleet.exec(worker, ["systemctl", "start", "kubelet"]);
    expect(sim.kubelets.get(worker)!.running()).toBe(true);
    const j = await fleet.exec(worker, ["journalctl", "-u", "kubelet", "-n", "50"]);
    expect(j.stdout).toMatch(new RegExp(`${worker} systemd\\[1\\]: Stopped kubelet.service - kubelet: The Kubernetes Node Agent.`));
  });

  it("a kubelet restarted on a config.yaml it cannot load crash-loops under systemd until the file is fixed", async () => {
    const file = "/var/lib/kubelet/config.yaml";
    await fleet.exec(worker, ["sed", "-i", "s#^apiVersion: kubelet.config.k8s.io/v1beta1#apiVersion: kubelet.config.k8s.io/v1#", file]);
    await fleet.exec(worker, ["systemctl", "restart", "kubelet"]);
    expect(sim.kubelets.get(worker)!.running()).toBe(false);
    const st = await fleet.exec(worker, ["systemctl", "status", "kubelet"]);
    expect(st.stdout).toContain("Active: activating (auto-restart) (Result: exit-code) since");
    await new Promise((r) => setTimeout(r, 2500 / SCALE + 200));
    const j = await fleet.exec(worker, ["journalctl", "-u", "kubelet", "-n", "20"]);
    expect(j.stdout).toContain(
      'run.go:72] "command failed" err="failed to load kubelet config file, path: /var/lib/kubelet/config.yaml, error: failed to load Kubelet config file /var/lib/kubelet/config.yaml, error failed to decode: no kind \\"KubeletConfiguration\\" is registered for version \\"kubelet.config.k8s.io/v1\\" in scheme \\"pkg/kubelet/apis/config/scheme/scheme.go:33\\""',
    );
    expect(j.stdout).toMatch(/systemd\[1\]: kubelet\.service: Scheduled restart job, restart counter is at \d+\./);
    await fleet.exec(worker, ["sed", "-i", "s#^apiVersion: kubelet.config.k8s.io/v1\$#apiVersion: kubelet.config.k8s.io/v1beta1#", file]);
    await sim.waitFor("the kubelet to run again on systemd's next try", () => sim.kubelets.get(worker)!.running(), 10_000);
    expect((await fleet.exec(worker, ["systemctl", "is-active", "kubelet"])).stdout).toBe("active\n");
  }, 60_000);

  it("a kubelet restarted on a kubelet.conf with the wrong port runs but cannot reach the API", async () => {
    const file = "/etc/kubernetes/kubelet.conf";
    await fleet.exec(worker, ["sed", "-i", "s#https://127.0.0.1:40999#https://127.0.0.1:6444#", file]);
    await fleet.exec(worker, ["systemctl", "restart", "kubelet"]);
    expect((await fleet.exec(worker, ["systemctl", "is-active", "kubelet"])).stdout).toBe("active\n");
    const j = await fleet.exec(worker, ["journalctl", "-u", "kubelet", "-n", "20"]);
    expect(j.stdout).toContain(
      `"Failed to ensure lease exists, will retry" err="Get \\"https://127.0.0.1:6444/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${worker}?timeout=10s\\": dial tcp 127.0.0.1:6444: connect: connection refused" interval="7s"`,
    );
    await fleet.exec(worker, ["sed", "-i", "s#https://127.0.0.1:6444#https://127.0.0.1:40999#", file]);
    await fleet.exec(worker, ["systemctl", "restart", "kubelet"]);
    const renewed = sim.clock.now().getTime();
    await sim.waitFor("the lease renewed again", () => {
      const l = sim.store.get("leases.coordination.k8s.io", "kube-node-lease", worker)?.spec as { renewTime?: string } | undefined;
      return l?.renewTime && Date.parse(l.renewTime) >= renewed - 1000;
    }, 10_000);
  }, 60_000);

  it("a scheduler whose --kubeconfig is gone crash-loops, and pods stay Pending with no FailedScheduling", async () => {
    const file = "/etc/kubernetes/manifests/kube-scheduler.yaml";
    await fleet.exec(cp, ["sed", "-i", "s#--kubeconfig=/etc/kubernetes/scheduler.conf#--kubeconfig=/etc/kubernetes/scheduler.com#", file]);
    const k = sim.kubelets.get(cp)!;
    const crashed = await sim.waitFor(
      "kube-scheduler to exit on the missing kubeconfig",
      () => k.containers().find((c) => c.name === "kube-scheduler" && c.state === "Exited" && k.containerLogs(c.id).some((l) => l.text.includes("scheduler.com"))),
      30_000,
    );
    const logs = await fleet.exec(cp, ["crictl", "logs", crashed.id.slice(0, 13)]);
    logs.stdout += logs.stderr;
    expect(logs.stdout).toContain('"command failed" err="stat /etc/kubernetes/scheduler.com: no such file or directory"');
    sim.apply("pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "waits", namespace: "default" }, spec: { containers: [{ name: "c", image: "nginx:1.27" }] } });
    // A barrier instead of a fixed wait: a pod created after "waits" and bound by hand goes all the
    // way to Running (admission, kubelet sync, sandbox, image, start), which takes longer than a
    // leading scheduler needs to bind a pod from its queue.
    sim.apply("pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "bound-by-hand", namespace: "default" }, spec: { nodeName: worker, containers: [{ name: "c", image: "nginx:1.27" }] } });
    await sim.waitFor("the hand-bound pod to run", () => (sim.store.get("pods", "default", "bound-by-hand") as Pod | undefined)?.status?.phase === "Running", 30_000);
    expect((sim.store.get("pods", "default", "waits") as Pod).spec.nodeName).toBeUndefined();
    expect(sim.eventsFor("Pod", "default", "waits").filter((e) => e.reason === "FailedScheduling")).toEqual([]);
    await fleet.exec(cp, ["sed", "-i", "s#--kubeconfig=/etc/kubernetes/scheduler.com#--kubeconfig=/etc/kubernetes/scheduler.conf#", file]);
    await sim.waitFor("the pod to be scheduled once the scheduler leads again", () => (sim.store.get("pods", "default", "waits") as Pod).spec.nodeName, 30_000);
  }, 60_000);

  it("a stopped kubelet makes its node Unknown after the grace period", async () => {
    await fleet.exec(worker, ["systemctl", "stop", "kubelet"]);
    const ready = () => (sim.store.get("nodes", undefined, worker) as unknown as { status: { conditions: Array<{ type: string; status: string; message?: string }> } }).status.conditions.find((c) => c.type === "Ready");
    await sim.waitFor("lab-worker Ready=Unknown", () => ready()?.status === "Unknown", 30_000);
    expect(ready()?.message).toBe("Kubelet stopped posting node status.");
    await fleet.exec(worker, ["systemctl", "start", "kubelet"]);
    await sim.waitFor("lab-worker Ready again", () => ready()?.status === "True", 30_000);
  }, 60_000);

  it("renews an expired apiserver certificate with kubeadm and restarts nothing", async () => {
    const r = await fleet.exec(cp, ["kubeadm", "certs", "renew", "apiserver"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("certificate for serving the Kubernetes API renewed\n");
  });
});
