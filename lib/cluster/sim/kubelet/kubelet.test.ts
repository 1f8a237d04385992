import { afterEach, describe, expect, it } from "vitest";
import type { Container, Pod } from "../controllers/api-types";
import { startWorkloadSim, type WorkloadSim } from "../controllers/start-workload-sim";
import { StatusError } from "../store/status-error";

let sim: WorkloadSim | undefined;
afterEach(() => sim?.stop());

function pod(name: string, c: Partial<Container>, extra: Partial<Pod["spec"]> = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "cap", uid: "", labels: { run: name } },
    spec: { containers: [{ name, image: "busybox:1.36", ...c }], ...extra },
  };
}

const get = (s: WorkloadSim, name: string) => s.store.get("pods", "cap", name) as Pod | undefined;
const cs = (s: WorkloadSim, name: string) => get(s, name)?.status?.containerStatuses?.[0];
const evs = (s: WorkloadSim, name: string) => s.eventsFor("Pod", "cap", name).map((e) => `${e.type} ${e.reason} ${e.message}`);

describe("kubelet model", () => {
  it("reports an unknown tag as ErrImagePull then ImagePullBackOff with the real texts", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    s.apply("pods", pod("web", { image: "nginx:1.27.9999" }));
    const err =
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.27.9999": failed to resolve reference "docker.io/library/nginx:1.27.9999": docker.io/library/nginx:1.27.9999: not found';
    await s.waitFor("ImagePullBackOff", () => cs(s, "web")?.state.waiting?.reason === "ImagePullBackOff");
    expect(cs(s, "web")?.state.waiting?.message).toBe(`Back-off pulling image "nginx:1.27.9999": ErrImagePull: ${err}`);
    expect(evs(s, "web").slice(0, 6)).toEqual([
      "Normal Scheduled Successfully assigned cap/web to kind-control-plane",
      'Normal Pulling Pulling image "nginx:1.27.9999"',
      `Warning Failed Failed to pull image "nginx:1.27.9999": ${err}`,
      "Warning Failed Error: ErrImagePull",
      'Normal BackOff Back-off pulling image "nginx:1.27.9999"',
      "Warning Failed Error: ImagePullBackOff",
    ]);
    expect(get(s, "web")?.status?.phase).toBe("Pending");
    // After the 10 s back-off the kubelet pulls again: the Pulling event counts 2.
    await s.waitFor("second pull", () => s.eventsFor("Pod", "cap", "web").find((e) => e.reason === "Pulling" && Number(e.count) >= 2));
    expect(() => s.logs.read({ namespace: "cap", pod: "web" })).toThrow(/container "web" in pod "web" is waiting to start: (trying and failing to pull image|image can't be pulled)/);
  });

  it("needs a matching pull secret for the private registry", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    s.apply("pods", pod("app", { image: "registry.example.com/team/app:1.0" }));
    await s.waitFor("ErrImagePull", () => evs(s, "app").find((e) => e.includes("Failed to pull")));
    expect(evs(s, "app").find((e) => e.includes("Failed to pull"))).toContain(
      'failed to resolve reference "registry.example.com/team/app:1.0": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://registry.example.com/token?scope=repository%3Ateam%2Fapp%3Apull&service=registry.example.com: 401 Unauthorized',
    );
    const cfg = { auths: { "registry.example.com": { username: "team-ci", password: "s3cr3t", auth: Buffer.from("team-ci:s3cr3t").toString("base64") } } };
    s.apply("secrets", { apiVersion: "v1", kind: "Secret", metadata: { name: "regcred", namespace: "cap" }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": Buffer.from(JSON.stringify(cfg)).toString("base64") } });
    s.apply("pods", pod("app2", { image: "registry.example.com/team/app:1.0" }, { imagePullSecrets: [{ name: "regcred" }] }));
    await s.waitFor("app2 running", () => cs(s, "app2")?.state.running);
    expect(evs(s, "app2").find((e) => e.includes("Successfully pulled"))).toMatch(/^Normal Pulled Successfully pulled image "registry.example.com\/team\/app:1.0" in [\d.]+s \([\d.]+s including waiting\)\. Image size: 25165824 bytes\.$/);
    expect(cs(s, "app2")?.imageID).toMatch(/^registry\.example\.com\/team\/app@sha256:[0-9a-f]{64}$/);
  });

  it("crash-loops with back-off 10s, 20s, 40s and keeps the previous container's logs", async () => {
    // 10× keeps timer jitter on a busy CI machine well inside the tolerances below.
    sim = startWorkloadSim({ bare: true, timeScale: 10 });
    const s = sim;
    // Start time of each attempt and finish time of the attempt before it, from the pod status.
    const started = new Map<number, number>();
    const finishedBefore = new Map<number, number>();
    s.store.watch("pods", { namespace: "cap" }, (e) => {
      const st = (e.object as Pod).status?.containerStatuses?.[0];
      if (st?.state.running?.startedAt && !started.has(st.restartCount)) started.set(st.restartCount, Date.parse(st.state.running.startedAt));
      if (st?.state.running && st.lastState.terminated?.finishedAt) finishedBefore.set(st.restartCount, Date.parse(st.lastState.terminated.finishedAt));
    });
    s.apply("pods", pod("crash", { args: ["sh", "-c", "echo starting; exit 1"] }));
    await s.waitFor("restart count 3", () => (cs(s, "crash")?.restartCount ?? 0) >= 3, 20_000);
    const gap = (n: number) => (started.get(n)! - finishedBefore.get(n)!) / 1000;
    expect(gap(1)).toBeLessThanOrEqual(3);
    expect(gap(2)).toBeGreaterThanOrEqual(9);
    expect(gap(2)).toBeLessThanOrEqual(14);
    expect(gap(3)).toBeGreaterThanOrEqual(19);
    expect(gap(3)).toBeLessThanOrEqual(24);
    const k = s.kubelets.get("kind-control-plane")!;
    const runs = k.containers().filter((c) => c.podName === "crash");
    // One dead container is kept per name (plus the current one).
    expect(runs.length).toBeLessThanOrEqual(2);
    const st = cs(s, "crash")!;
    expect(st.lastState.terminated?.reason).toBe("Error");
    expect(st.lastState.terminated?.exitCode).toBe(1);
    await s.waitFor("CrashLoopBackOff 40s", () => cs(s, "crash")?.state.waiting?.message?.startsWith("back-off 40s restarting failed container=crash pod=crash_cap("), 20_000);
    const p = get(s, "crash")!;
    expect(cs(s, "crash")?.state.waiting?.message).toBe(`back-off 40s restarting failed container=crash pod=crash_cap(${p.metadata.uid})`);
    expect(p.status?.phase).toBe("Running");
    const backoff = s.eventsFor("Pod", "cap", "crash").find((e) => e.reason === "BackOff")!;
    expect(backoff.message).toBe(`Back-off restarting failed container crash in pod crash_cap(${p.metadata.uid})`);
    expect(Number(backoff.count)).toBeGreaterThanOrEqual(2);
    expect(Date.parse(String(backoff.lastTimestamp))).toBeGreaterThan(Date.parse(String(backoff.firstTimestamp)));
    const created = s.eventsFor("Pod", "cap", "crash").find((e) => e.reason === "Created")!;
    expect(Number(created.count)).toBeGreaterThanOrEqual(4);
    expect(s.logs.read({ namespace: "cap", pod: "crash", previous: true })).toBe("starting\n");
    const journal = k.journal().join("\n");
    expect(journal).toMatch(/^E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ pod_workers\.go:1301\] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"crash\\" with CrashLoopBackOff: \\"back-off 10s restarting failed container=crash pod=crash_cap\(/m);
    expect(journal).toContain('"SyncLoop (PLEG): event for pod" pod="cap/crash" event={"ID":"');
  });

  it("holds a container with a missing ConfigMap in CreateContainerConfigError until it exists", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    s.apply("pods", pod("needs-cm", { image: "nginx:1.27", envFrom: [{ configMapRef: { name: "nope" } }] }));
    await s.waitFor("config error", () => cs(s, "needs-cm")?.state.waiting?.reason === "CreateContainerConfigError");
    expect(cs(s, "needs-cm")?.state.waiting?.message).toBe('configmap "nope" not found');
    expect(evs(s, "needs-cm")).toContain('Warning Failed Error: configmap "nope" not found');
    expect(evs(s, "needs-cm")).toContain('Normal Pulled Container image "nginx:1.27" already present on machine');
    expect(() => s.logs.read({ namespace: "cap", pod: "needs-cm" })).toThrow('container "needs-cm" in pod "needs-cm" is waiting to start: CreateContainerConfigError');
    s.apply("configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "nope", namespace: "cap" }, data: { A: "1" } });
    await s.waitFor("running", () => cs(s, "needs-cm")?.state.running, 10_000);
    await s.waitFor("nginx startup lines", () => s.logs.read({ namespace: "cap", pod: "needs-cm" }).includes("Configuration complete; ready for start up"));
  });

  it("names a missing Secret or a missing ConfigMap key as kubelet_pods.go does, and skips optional ones", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    s.apply("configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app-config", namespace: "cap" }, data: { DB_HOST: "db" } });
    s.apply("pods", pod("needs-secret", { image: "nginx:1.27", env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db-creds", key: "password" } } }] }));
    s.apply("pods", pod("needs-key", { image: "nginx:1.27", env: [{ name: "LOG_LEVEL", valueFrom: { configMapKeyRef: { name: "app-config", key: "LOG_LEVEL" } } }] }));
    s.apply("pods", pod("optional", { image: "nginx:1.27", env: [{ name: "LOG_LEVEL", valueFrom: { configMapKeyRef: { name: "app-config", key: "LOG_LEVEL", optional: true } } }, { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db-creds", key: "password", optional: true } } }] }));
    await s.waitFor("config errors", () => ["needs-secret", "needs-key"].every((n) => cs(s, n)?.state.waiting?.reason === "CreateContainerConfigError"));
    expect(cs(s, "needs-secret")?.state.waiting?.message).toBe('secret "db-creds" not found');
    expect(evs(s, "needs-secret")).toContain('Warning Failed Error: secret "db-creds" not found');
    expect(cs(s, "needs-key")?.state.waiting?.message).toBe("couldn't find key LOG_LEVEL in ConfigMap cap/app-config");
    expect(evs(s, "needs-key")).toContain("Warning Failed Error: couldn't find key LOG_LEVEL in ConfigMap cap/app-config");
    await s.waitFor("optional refs start", () => cs(s, "optional")?.state.running);
    // The key added later reaches the waiting container on the kubelet's next retry.
    const cm = s.store.get("configmaps", "cap", "app-config")!;
    s.store.update("configmaps", { ...cm, data: { DB_HOST: "db", LOG_LEVEL: "info" } });
    await s.waitFor("needs-key running", () => cs(s, "needs-key")?.state.running, 10_000);
    expect(cs(s, "needs-secret")?.state.waiting?.reason).toBe("CreateContainerConfigError");
  });

  it("OOM-kills a memory bomb over its limit with exit code 137", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    s.apply("pods", pod("oom", { command: ["sh", "-c", "x=a; while true; do x=$x$x; done"], resources: { limits: { memory: "16Mi" }, requests: { memory: "16Mi" } } }));
    await s.waitFor("OOMKilled", () => (cs(s, "oom")?.restartCount ?? 0) >= 1 && cs(s, "oom")?.lastState.terminated?.reason === "OOMKilled");
    expect(cs(s, "oom")?.lastState.terminated?.exitCode).toBe(137);
    expect(get(s, "oom")?.status?.qosClass).toBe("Burstable");
  });

  it("restarts a container whose liveness probe fails, with the probe's output in the event", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 40 });
    const s = sim;
    s.apply(
      "pods",
      pod("liveness", {
        args: ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"],
        livenessProbe: { exec: { command: ["cat", "/tmp/healthy"] }, initialDelaySeconds: 5, periodSeconds: 5 },
      }),
    );
    await s.waitFor("restarted by liveness", () => (cs(s, "liveness")?.restartCount ?? 0) >= 1, 15_000);
    const e = evs(s, "liveness");
    expect(e).toContain("Warning Unhealthy Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n");
    expect(e).toContain("Normal Killing Container liveness failed liveness probe, will be restarted");
    expect(cs(s, "liveness")?.lastState.terminated?.exitCode).toBe(137);
  });

  it("runs a command that the image lacks into StartError and a busybox echo into Completed", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    s.apply("pods", pod("nocmd", { image: "nginx:1.27", command: ["nginxx"] }, { restartPolicy: "Never" }));
    s.apply("pods", pod("hello", { command: ["sh", "-c", "echo hello; echo world"] }, { restartPolicy: "Never" }));
    await s.waitFor("both done", () => get(s, "nocmd")?.status?.phase === "Failed" && get(s, "hello")?.status?.phase === "Succeeded");
    expect(cs(s, "nocmd")?.state.terminated?.reason).toBe("StartError");
    expect(cs(s, "nocmd")?.state.terminated?.exitCode).toBe(128);
    expect(evs(s, "nocmd").some((x) => x.includes('exec: "nginxx": executable file not found in $PATH: unknown'))).toBe(true);
    expect(cs(s, "hello")?.state.terminated?.reason).toBe("Completed");
    expect(s.logs.read({ namespace: "cap", pod: "hello" })).toBe("hello\nworld\n");
    expect(s.logs.read({ namespace: "cap", pod: "hello", tailLines: 1 })).toBe("world\n");
    expect(() => s.logs.read({ namespace: "cap", pod: "hello", previous: true })).toThrow('previous terminated container "hello" in pod "hello" not found');
  });

  it("stops containers of a deleted pod and removes it after the kubelet confirms", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    s.apply("pods", pod("gone", { image: "nginx:1.27" }));
    await s.waitFor("running", () => cs(s, "gone")?.state.running);
    const { gone } = s.store.delete("pods", "cap", "gone");
    expect(gone).toBe(false);
    expect(get(s, "gone")?.metadata.deletionTimestamp).toBeTruthy();
    const uid = get(s, "gone")!.metadata.uid;
    await s.waitFor("purged", () => !get(s, "gone"));
    const k = s.kubelets.get("kind-control-plane")!;
    await s.waitFor("containers collected", () => !k.containers().some((c) => c.podUid === uid) && !k.sandboxes().some((x) => x.podUid === uid));
    expect(evs(s, "gone")).toContain("Normal Killing Stopping container gone");
    try {
      s.logs.read({ namespace: "cap", pod: "gone" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(StatusError);
      expect((err as StatusError).code).toBe(404);
    }
  });

  it("runs init containers first and reports a failing one as an init crash loop", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 40 });
    const s = sim;
    const withInit = (name: string, script: string): Pod => ({
      ...pod(name, { image: "nginx:1.27" }),
      spec: { initContainers: [{ name: "init", image: "busybox:1.36", command: ["sh", "-c", script] }], containers: [{ name: "web", image: "nginx:1.27" }] },
    });
    s.apply("pods", withInit("good", "sleep 2; echo init done"));
    s.apply("pods", withInit("bad", "echo cannot reach db; exit 2"));
    await s.waitFor("good running", () => get(s, "good")?.status?.phase === "Running");
    const good = get(s, "good")!;
    expect(good.status?.initContainerStatuses?.[0]?.state.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(good.status?.conditions?.find((c) => c.type === "Initialized")?.status).toBe("True");
    expect(s.logs.read({ namespace: "cap", pod: "good", container: "init" })).toBe("init done\n");
    await s.waitFor("init crash loop", () => get(s, "bad")?.status?.initContainerStatuses?.[0]?.state.waiting?.reason === "CrashLoopBackOff");
    const bad = get(s, "bad")!;
    expect(bad.status?.phase).toBe("Pending");
    expect(bad.status?.containerStatuses?.[0]?.state.waiting?.reason).toBe("PodInitializing");
    expect(bad.status?.conditions?.find((c) => c.type === "Initialized")).toMatchObject({ status: "False", reason: "ContainersNotInitialized", message: "containers with incomplete status: [init]" });
    expect(() => s.logs.read({ namespace: "cap", pod: "bad" })).toThrow('container "web" in pod "bad" is waiting to start: PodInitializing');
    expect(s.logs.read({ namespace: "cap", pod: "bad", container: "init" })).toBe("cannot reach db\n");
  });

  it("restarts a pod's container with the image set by kubectl set image", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    s.apply("pods", pod("fixme", { image: "nginx:1.27.9999" }));
    await s.waitFor("pull error", () => ["ErrImagePull", "ImagePullBackOff"].includes(cs(s, "fixme")?.state.waiting?.reason ?? ""));
    const p = get(s, "fixme")!;
    p.spec.containers[0]!.image = "nginx:1.27";
    s.store.update("pods", p, { force: true });
    await s.waitFor("running with the fixed image", () => cs(s, "fixme")?.state.running && cs(s, "fixme")?.image === "docker.io/library/nginx:1.27");
    const q = get(s, "fixme")!;
    q.spec.containers[0]!.image = "nginx:1.25";
    s.store.update("pods", q, { force: true });
    await s.waitFor("restarted on 1.25", () => cs(s, "fixme")?.restartCount === 1 && cs(s, "fixme")?.state.running && cs(s, "fixme")?.image === "docker.io/library/nginx:1.25");
    expect(evs(s, "fixme")).toContain("Normal Killing Container fixme definition changed, will be restarted");
  });

  it("executes commands in a running container (kubectl exec), keeping files it creates", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    s.apply("configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "cap" }, data: { "app.conf": "mode=prod\n" } });
    s.apply("pods", {
      ...pod("box", { command: ["sleep", "infinity"], volumeMounts: [{ name: "cfg", mountPath: "/etc/app" }] }),
      spec: { containers: [{ name: "box", image: "busybox:1.36", command: ["sleep", "infinity"], volumeMounts: [{ name: "cfg", mountPath: "/etc/app" }] }], volumes: [{ name: "cfg", configMap: { name: "cfg" } }] },
    });
    await s.waitFor("running", () => cs(s, "box")?.state.running);
    const k = s.kubelets.get("kind-control-plane")!;
    const exec = (command: string[]) => k.exec!({ namespace: "cap", pod: "box", command });
    expect(exec(["cat", "/etc/app/app.conf"])).toEqual({ stdout: "mode=prod\n", stderr: "", exitCode: 0 });
    expect(exec(["cat", "/tmp/healthy"])).toEqual({ stdout: "", stderr: "cat: can't open '/tmp/healthy': No such file or directory\n", exitCode: 1 });
    exec(["touch", "/tmp/healthy"]);
    expect(exec(["sh", "-c", "cat /tmp/healthy && echo ok"]).stdout).toBe("ok\n");
    expect(() => exec(["bash"])).toThrow(/OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in \$PATH: unknown$/);
    s.apply("pods", pod("waiting", { image: "nginx:1.27.9999" }));
    expect(() => k.exec!({ namespace: "cap", pod: "waiting", command: ["ls"] })).toThrow('container not found ("waiting")');
  });

  it("answers logs and exec like the apiserver when there is no node or the kubelet is down", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    s.apply("pods", pod("nowhere", { image: "nginx:1.27" }, { nodeSelector: { nope: "x" } }));
    s.apply("pods", pod("here", { image: "nginx:1.27" }));
    await s.waitFor("here running", () => cs(s, "here")?.state.running);
    expect(() => s.logs.read({ namespace: "cap", pod: "nowhere" })).toThrow("pod nowhere does not have a host assigned");
    s.kubelets.get("kind-control-plane")!.setRunning(false);
    expect(() => s.logs.read({ namespace: "cap", pod: "here", container: "here" })).toThrow(
      'Get "https://172.18.0.2:10250/containerLogs/cap/here/here": dial tcp 172.18.0.2:10250: connect: connection refused',
    );
    expect(() => s.exec({ namespace: "cap", pod: "here", command: ["ls"] })).toThrow("error dialing backend: dial tcp 172.18.0.2:10250: connect: connection refused");
  });

  it("keeps its pods but writes nothing to an API server it cannot reach, and re-lists when it reaches it again", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    s.apply("pods", pod("kept", { image: "nginx:1.27" }));
    await s.waitFor("kept running", () => cs(s, "kept")?.state.running);
    const k = s.kubelets.get("kind-control-plane")!;
    const renewTime = () => (s.store.get("leases.coordination.k8s.io", "kube-node-lease", "kind-control-plane")?.spec as { renewTime?: string } | undefined)?.renewTime;
    const server = "https://127.0.0.1:6444";
    const dialError = "dial tcp 127.0.0.1:6444: connect: connection refused";
    k.setApiFault!({ server, dialError });
    k.restart();
    const cut = renewTime();
    s.apply("pods", pod("unseen", { image: "nginx:1.27" }));
    s.store.delete("pods", "cap", "kept");
    await s.waitFor("two lease periods", () => k.journal().filter((l) => l.includes("Failed to ensure lease exists")).length >= 3, 10_000);
    expect(renewTime()).toBe(cut);
    expect(get(s, "unseen")?.status?.containerStatuses).toBeUndefined();
    expect(k.containers().some((c) => c.name === "kept" && c.state === "Running")).toBe(true);
    expect(k.journal()).toContainEqual(
      expect.stringContaining(
        `controller.go:145] "Failed to ensure lease exists, will retry" err="Get \\"${server}/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/kind-control-plane?timeout=10s\\": ${dialError}" interval="7s"`,
      ),
    );
    expect(k.journal()).toContainEqual(
      expect.stringContaining(
        `kubelet_node_status.go:549] "Error updating node status, will retry" err="error getting node \\"kind-control-plane\\": Get \\"${server}/api/v1/nodes/kind-control-plane?resourceVersion=0&timeout=10s\\": ${dialError}"`,
      ),
    );
    expect(k.journal()).toContainEqual(expect.stringContaining(`kubelet_node_status.go:536] "Unable to update node status" err="update node status exceeds retry count"`));
    k.setApiFault!(null);
    k.restart();
    await s.waitFor("unseen running", () => cs(s, "unseen")?.state.running);
    await s.waitFor("kept stopped", () => !k.containers().some((c) => c.name === "kept" && c.state === "Running"));
    expect(renewTime()).not.toBe(cut);
  });

  it("kills a container whose startup probe keeps failing, and keeps it unready meanwhile", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    s.apply("pods", pod("slow", { image: "nginx:1.27", startupProbe: { httpGet: { path: "/", port: 8080 }, periodSeconds: 2, failureThreshold: 3 }, readinessProbe: { httpGet: { path: "/", port: 80 }, periodSeconds: 2 } }));
    await s.waitFor("restarted by the startup probe", () => (cs(s, "slow")?.restartCount ?? 0) >= 1, 15_000);
    const ip = get(s, "slow")!.status!.podIP!;
    expect(evs(s, "slow")).toContain(`Warning Unhealthy Startup probe failed: Get "http://${ip}:8080/": dial tcp ${ip}:8080: connect: connection refused`);
    expect(evs(s, "slow")).toContain("Normal Killing Container slow failed startup probe, will be restarted");
    expect(cs(s, "slow")?.ready).toBe(false);
    expect(cs(s, "slow")?.lastState.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
  });

  it("adds a changed static pod again when the old container dies on its own while being stopped", async () => {
    // A static pod in a crash loop whose manifest is edited: the kubelet stops the old pod with its
    // grace period, the crashing process exits first, and the pod from the new manifest must start.
    let manifests: Pod[] = [];
    const subscribers = new Set<() => void>();
    const manifest = (dataDir: string): Pod => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "etcd", namespace: "kube-system", uid: "", labels: { component: "etcd" } },
      spec: { hostNetwork: true, terminationGracePeriodSeconds: 30, containers: [{ name: "etcd", image: "busybox:1.36", command: ["sleep", "3600"], args: [dataDir] }] },
    });
    manifests = [manifest("--data-dir=/var/lib/etcd")];
    sim = startWorkloadSim({
      bare: true,
      timeScale: 20,
      hooks: () => ({ staticPods: { list: () => manifests, subscribe: (fn) => (subscribers.add(fn), () => subscribers.delete(fn)) } }),
    });
    const s = sim;
    const k = s.kubelets.get("kind-control-plane")!;
    const name = "etcd-kind-control-plane";
    const running = () => (s.store.get("pods", "kube-system", name) as Pod | undefined)?.status?.containerStatuses?.[0]?.state?.running;
    const journal = (what: string) => k.journal().filter((l) => l.includes(`"SyncLoop ${what}"`) && l.includes(`kube-system/${name}`)).length;
    await s.waitFor("etcd running", running);
    const old = k.containers().find((c) => c.state === "Running" && c.name === "etcd")!;
    manifests = [manifest("--data-dir=/var/lib/etcd-fresh")];
    for (const fn of subscribers) fn();
    await s.waitFor("REMOVE", () => journal("REMOVE") === 1);
    k.exitContainer!(old.id, 1, ["panic: crashed before the grace period ended"]);
    await s.waitFor("ADD of the new manifest", () => journal("ADD") === 2, 5_000);
    await s.waitFor("new etcd running", () => running() && k.containers().some((c) => c.state === "Running" && c.name === "etcd" && c.id !== old.id));
    const mirror = s.store.get("pods", "kube-system", name) as Pod;
    expect(mirror.spec.containers[0]!.args).toEqual(["--data-dir=/var/lib/etcd-fresh"]);
  });
});
