import { afterEach, describe, expect, it } from "vitest";
import type { DaemonSet, Deployment, Job, PersistentVolumeClaim, Pod } from "./api-types";
import { startWorkloadSim, type WorkloadSim } from "./start-workload-sim";

let sim: WorkloadSim | undefined;
afterEach(() => sim?.stop());

const pods = (s: WorkloadSim, ns: string) => s.store.list("pods", { namespace: ns }).items as Pod[];

describe("kind cluster content and workload controllers", () => {
  it("brings kube-system up like kind: CoreDNS ×2, kube-proxy and kindnet on every node, local-path", async () => {
    sim = startWorkloadSim({ workers: 2, timeScale: 20 });
    const s = sim;
    await s.waitFor(
      "kube-system running",
      () => {
        const ks = pods(s, "kube-system");
        const lp = pods(s, "local-path-storage");
        return ks.length === 8 && lp.length === 1 && [...ks, ...lp].every((p) => p.status?.phase === "Running" && p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
      },
      15_000,
    );
    const ks = pods(s, "kube-system");
    const byPrefix = (p: string) => ks.filter((x) => x.metadata.name.startsWith(p));
    expect(byPrefix("coredns-")).toHaveLength(2);
    expect(new Set(byPrefix("kube-proxy-").map((p) => p.spec.nodeName))).toEqual(new Set(["kind-control-plane", "kind-worker", "kind-worker2"]));
    expect(new Set(byPrefix("kindnet-").map((p) => p.spec.nodeName)).size).toBe(3);
    // hostNetwork pods carry the node IP; CoreDNS gets a pod IP from its node's /24.
    for (const p of byPrefix("kube-proxy-")) expect(p.status?.podIP).toMatch(/^172\.18\.0\.[234]$/);
    for (const p of byPrefix("coredns-")) expect(p.status?.podIP).toMatch(/^10\.244\.[0-2]\.\d+$/);
    const ds = s.store.get("daemonsets.apps", "kube-system", "kube-proxy") as DaemonSet;
    expect(ds.status).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, numberAvailable: 3, updatedNumberScheduled: 3 });
    type Subsets = { addresses?: { ip: string }[]; ports: { name: string; port: number }[] }[];
    const subsets = await s.waitFor("kube-dns endpoints", () => {
      const sub = s.store.get("endpoints", "kube-system", "kube-dns")?.subsets as Subsets | undefined;
      return sub?.[0]?.addresses?.length === 2 ? sub : undefined;
    });
    expect(subsets[0]!.ports.map((p) => `${p.name}:${p.port}`).sort()).toEqual(["dns-tcp:53", "dns:53", "metrics:9153"]);
    const sc = s.store.get("storageclasses.storage.k8s.io", undefined, "standard")!;
    expect(sc.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"]).toBe("true");
    expect(s.store.get("configmaps", "kube-system", "kubeadm-config")?.data).toHaveProperty("ClusterConfiguration");
    // A DaemonSet without tolerations stays off the tainted control plane.
    s.apply("daemonsets.apps", {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "agent", namespace: "cap" },
      spec: { selector: { matchLabels: { app: "agent" } }, template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "a", image: "busybox:1.36", command: ["sleep", "infinity"] }] } } },
    });
    await s.waitFor("agent on 2 workers", () => pods(s, "cap").filter((p) => p.status?.phase === "Running").length === 2);
    expect(pods(s, "cap").map((p) => p.spec.nodeName).sort()).toEqual(["kind-worker", "kind-worker2"]);
  });

  it("completes a Job and records Completed, and fails one past its backoffLimit", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 50 });
    const s = sim;
    const job = (name: string, cmd: string, backoffLimit?: number): Job => ({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name, namespace: "cap", uid: "" },
      spec: { backoffLimit, template: { spec: { restartPolicy: "Never", containers: [{ name, image: "busybox:1.36", command: ["sh", "-c", cmd] }] } } },
    });
    s.apply("jobs.batch", job("ok", "echo done"));
    s.apply("jobs.batch", job("bad", "exit 3", 1));
    await s.waitFor("ok complete", () => (s.store.get("jobs.batch", "cap", "ok") as Job).status?.conditions?.some((c) => c.type === "Complete"));
    const ok = s.store.get("jobs.batch", "cap", "ok") as Job;
    expect(ok.status).toMatchObject({ succeeded: 1, ready: 0 });
    expect(ok.status?.conditions?.map((c) => c.type)).toEqual(["SuccessCriteriaMet", "Complete"]);
    expect(s.eventsFor("Job", "cap", "ok").map((e) => e.reason)).toEqual(["SuccessfulCreate", "Completed"]);
    const okPod = pods(s, "cap").find((p) => p.metadata.labels?.["job-name"] === "ok")!;
    expect(okPod.metadata.name).toMatch(/^ok-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(okPod.status?.phase).toBe("Succeeded");
    expect(s.logs.read({ namespace: "cap", pod: okPod.metadata.name })).toBe("done\n");
    await s.waitFor("bad failed", () => (s.store.get("jobs.batch", "cap", "bad") as Job).status?.conditions?.some((c) => c.type === "Failed"), 15_000);
    const bad = s.store.get("jobs.batch", "cap", "bad") as Job;
    expect(bad.status?.failed).toBe(2);
    expect(bad.status?.conditions?.find((c) => c.type === "Failed")).toMatchObject({ reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" });
  });

  it("lists only ready pods as Endpoints addresses and slice endpoints", async () => {
    sim = startWorkloadSim({ bare: true, timeScale: 20 });
    const s = sim;
    const deploy = (name: string, path: string): Deployment => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace: "cap", uid: "" },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name, tier: "web" } },
          spec: { containers: [{ name: "nginx", image: "nginx:1.27", ports: [{ name: "http", containerPort: 80 }], readinessProbe: { httpGet: { path, port: "http" }, periodSeconds: 2 } }] },
        },
      },
    });
    s.apply("deployments.apps", deploy("good", "/"));
    s.apply("deployments.apps", deploy("broken", "/healthz"));
    s.apply("services", { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "cap" }, spec: { selector: { tier: "web" }, ports: [{ port: 80, targetPort: "http", protocol: "TCP" }] } });
    await s.waitFor("endpoints split", () => {
      const ep = s.store.get("endpoints", "cap", "web");
      const sub = (ep?.subsets as { addresses?: unknown[]; notReadyAddresses?: unknown[] }[] | undefined)?.[0];
      return sub?.addresses?.length === 2 && sub.notReadyAddresses?.length === 2;
    });
    const good = pods(s, "cap").filter((p) => p.metadata.labels?.app === "good").map((p) => p.status!.podIP!).sort();
    const ep = s.store.get("endpoints", "cap", "web")!;
    const sub = (ep.subsets as { addresses: { ip: string }[]; ports: { port: number }[] }[])[0]!;
    expect(sub.addresses.map((a) => a.ip).sort()).toEqual(good);
    expect(sub.ports).toEqual([{ port: 80, protocol: "TCP" }]);
    const slice = s.store.list("endpointslices.discovery.k8s.io", { namespace: "cap" }).items[0]!;
    expect(slice.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(slice.metadata.labels?.["kubernetes.io/service-name"]).toBe("web");
    const ready = (slice.endpoints as { addresses: string[]; conditions: { ready: boolean } }[]).filter((e) => e.conditions.ready).map((e) => e.addresses[0]).sort();
    expect(ready).toEqual(good);
    const broken = pods(s, "cap").find((p) => p.metadata.labels?.app === "broken")!;
    // A pod that has not been probed yet is not ready either, so the split above can come before
    // this pod's first failed probe: wait for the probe itself before reading what it left.
    await s.waitFor("a failed readiness probe on the broken pod", () =>
      s.eventsFor("Pod", "cap", broken.metadata.name).some((e) => e.reason === "Unhealthy") &&
      /kube-probe/.test(s.logs.read({ namespace: "cap", pod: broken.metadata.name })),
    );
    const unhealthy = s.eventsFor("Pod", "cap", broken.metadata.name).find((e) => e.reason === "Unhealthy")!;
    expect(unhealthy.message).toBe("Readiness probe failed: HTTP probe failed with statuscode: 404");
    // nginx's start-up lines and the first probe can land in either order at this time scale, as
    // they can on a busy real node: the probe's access-log line is there, not necessarily last.
    expect(s.logs.read({ namespace: "cap", pod: broken.metadata.name })).toMatch(/"GET \/healthz HTTP\/1\.1" 404 153 "-" "kube-probe\/1\.32" "-"\n/);
  });

  it("provisions a local-path volume for a WaitForFirstConsumer claim once a pod uses it", async () => {
    sim = startWorkloadSim({ timeScale: 20 });
    const s = sim;
    s.apply("persistentvolumeclaims", {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: "cap" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    });
    await s.waitFor("waiting event", () => s.eventsFor("PersistentVolumeClaim", "cap", "data").some((e) => e.reason === "WaitForFirstConsumer"));
    const pvc = s.store.get("persistentvolumeclaims", "cap", "data") as PersistentVolumeClaim;
    expect(pvc.spec.storageClassName).toBe("standard");
    expect(pvc.status?.phase).toBe("Pending");
    s.apply("pods", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "user", namespace: "cap" },
      spec: { containers: [{ name: "c", image: "busybox:1.36", command: ["sleep", "3600"], volumeMounts: [{ name: "d", mountPath: "/data" }] }], volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }] },
    });
    await s.waitFor("bound and running", () => (s.store.get("persistentvolumeclaims", "cap", "data") as PersistentVolumeClaim).status?.phase === "Bound" && (s.store.get("pods", "cap", "user") as Pod).status?.phase === "Running", 15_000);
    const bound = s.store.get("persistentvolumeclaims", "cap", "data") as PersistentVolumeClaim;
    expect(bound.spec.volumeName).toBe(`pvc-${bound.metadata.uid}`);
    const reasons = s.eventsFor("PersistentVolumeClaim", "cap", "data").map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(["WaitForFirstConsumer", "ExternalProvisioning", "Provisioning", "ProvisioningSucceeded"]));
  });

  it("binds a static volume only when the claim's selector matches its labels, and frees a Released volume whose claimRef is cleared", async () => {
    sim = startWorkloadSim({ timeScale: 20 });
    const s = sim;
    const pv = (labels: Record<string, string>) => ({
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "ledger", labels },
      spec: { capacity: { storage: "2Gi" }, accessModes: ["ReadWriteOnce"], storageClassName: "manual", persistentVolumeReclaimPolicy: "Retain", hostPath: { path: "/var/local/ledger" } },
    });
    const claim = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: "cap" }, spec: { storageClassName: "manual", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, selector: { matchLabels: { tier: "ledger" } } } };
    s.apply("persistentvolumes", pv({ tier: "ledgr" }));
    s.apply("persistentvolumeclaims", claim);
    const phase = () => (s.store.get("persistentvolumeclaims", "cap", "data") as PersistentVolumeClaim | undefined)?.status?.phase;
    await s.waitFor("not found event", () => s.eventsFor("PersistentVolumeClaim", "cap", "data").some((e) => e.reason === "ProvisioningFailed" && e.message === 'storageclass.storage.k8s.io "manual" not found'));
    expect(phase()).toBe("Pending");
    const cur = s.store.get("persistentvolumes", undefined, "ledger")!;
    cur.metadata.labels = { tier: "ledger" };
    s.store.update("persistentvolumes", cur, { force: true });
    await s.waitFor("bound", () => phase() === "Bound");
    expect((s.store.get("persistentvolumeclaims", "cap", "data") as PersistentVolumeClaim).spec.volumeName).toBe("ledger");
    s.store.delete("persistentvolumeclaims", "cap", "data");
    const pvPhase = () => (s.store.get("persistentvolumes", undefined, "ledger")?.status as { phase?: string } | undefined)?.phase;
    await s.waitFor("released", () => pvPhase() === "Released");
    const released = s.store.get("persistentvolumes", undefined, "ledger")!;
    delete (released.spec as { claimRef?: unknown }).claimRef;
    s.store.update("persistentvolumes", released, { force: true });
    await s.waitFor("available again", () => pvPhase() === "Available");
  });

  it("creates StatefulSet pods in order with their claims, and scales down from the top", async () => {
    sim = startWorkloadSim({ timeScale: 20 });
    const s = sim;
    s.apply("statefulsets.apps", {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "db", namespace: "cap" },
      spec: {
        replicas: 3,
        serviceName: "db",
        selector: { matchLabels: { app: "db" } },
        template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ name: "redis", image: "redis:7.4", volumeMounts: [{ name: "data", mountPath: "/data" }] }] } },
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
      },
    });
    await s.waitFor("3 ready", () => (s.store.get("statefulsets.apps", "cap", "db")?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 3, 20_000);
    const created = s.eventsFor("StatefulSet", "cap", "db").map((e) => e.message);
    expect(created).toEqual([
      "create Claim data-db-0 Pod db-0 in StatefulSet db success",
      "create Pod db-0 in StatefulSet db successful",
      "create Claim data-db-1 Pod db-1 in StatefulSet db success",
      "create Pod db-1 in StatefulSet db successful",
      "create Claim data-db-2 Pod db-2 in StatefulSet db success",
      "create Pod db-2 in StatefulSet db successful",
    ]);
    const p0 = s.store.get("pods", "cap", "db-0") as Pod;
    expect(p0.spec.hostname).toBe("db-0");
    expect(p0.metadata.labels?.["statefulset.kubernetes.io/pod-name"]).toBe("db-0");
    expect((s.store.get("persistentvolumeclaims", "cap", "data-db-0") as PersistentVolumeClaim).status?.phase).toBe("Bound");
    const sts = s.store.get("statefulsets.apps", "cap", "db")!;
    (sts.spec as { replicas: number }).replicas = 1;
    s.store.update("statefulsets.apps", sts, { force: true });
    await s.waitFor("scaled to 1", () => pods(s, "cap").length === 1, 20_000);
    expect(pods(s, "cap")[0]!.metadata.name).toBe("db-0");
    const deletes = s.eventsFor("StatefulSet", "cap", "db").filter((e) => e.reason === "SuccessfulDelete").map((e) => e.message);
    expect(deletes).toEqual(["delete Pod db-2 in StatefulSet db successful", "delete Pod db-1 in StatefulSet db successful"]);
  });

  it("answers wget, nslookup and nc in containers from Services, endpoints and CoreDNS", async () => {
    sim = startWorkloadSim({ timeScale: 20 });
    const s = sim;
    s.apply("deployments.apps", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "cap" },
      spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } } },
    });
    s.apply("services", { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "cap" }, spec: { clusterIP: "10.96.100.10", selector: { app: "web" }, ports: [{ port: 80, targetPort: 80 }] } });
    s.apply("services", { apiVersion: "v1", kind: "Service", metadata: { name: "empty", namespace: "cap" }, spec: { clusterIP: "10.96.100.11", selector: { app: "nobody" }, ports: [{ port: 80 }] } });
    await s.waitFor("web endpoints and DNS ready", () => {
      const ready = (ns: string, n: string) => (s.store.get("endpoints", ns, n)?.subsets as { addresses?: unknown[] }[] | undefined)?.[0]?.addresses?.length === 2;
      return ready("cap", "web") && ready("kube-system", "kube-dns");
    }, 15_000);
    const script = [
      "wget -qO- -T 2 http://web",
      "wget -qO- -T 2 http://web.cap.svc.cluster.local/nope",
      "wget -qO- -T 2 http://empty",
      "nslookup web",
      "nslookup nope",
      "nc -zv -w 1 web 80",
      "curl -s http://web",
    ].join("; ");
    s.apply("pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "probe", namespace: "cap" }, spec: { restartPolicy: "Never", containers: [{ name: "probe", image: "busybox:1.36", command: ["sh", "-c", script] }] } });
    await s.waitFor("probe done", () => (s.store.get("pods", "cap", "probe") as Pod | undefined)?.status?.phase === "Failed", 15_000);
    const out = s.logs.read({ namespace: "cap", pod: "probe" });
    expect(out).toContain("<title>Welcome to nginx!</title>");
    expect(out).toContain("wget: server returned error: HTTP/1.1 404 Not Found");
    expect(out).toContain("wget: can't connect to remote host (10.96.100.11): Connection refused");
    expect(out).toContain("Name:\tweb.cap.svc.cluster.local\nAddress: 10.96.100.10\n");
    expect(out).toContain("** server can't find nope.cap.svc.cluster.local: NXDOMAIN");
    expect(out).toContain("web (10.96.100.10:80) open");
    expect(out).toMatch(/sh: curl: not found\n$/);
    // nginx logged the request with the client pod's IP.
    const probeIp = (s.store.get("pods", "cap", "probe") as Pod).status!.podIP!;
    const webLogs = pods(s, "cap").filter((p) => p.metadata.labels?.app === "web").map((p) => s.logs.read({ namespace: "cap", pod: p.metadata.name })).join("");
    expect(webLogs).toContain(`${probeIp} - - [`);
    // A NodePort answers on the node's address from inside a pod too (kube-proxy matches local addresses).
    s.apply("services", { apiVersion: "v1", kind: "Service", metadata: { name: "webnp", namespace: "cap" }, spec: { type: "NodePort", selector: { app: "web" }, ports: [{ port: 80, targetPort: 80, nodePort: 30080 }] } });
    s.apply("pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "np", namespace: "cap" }, spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox:1.36", command: ["sh", "-c", "wget -qO- -T 2 http://172.18.0.2:30080; wget -qO- -T 2 http://172.18.0.2:30081"] }] } });
    await s.waitFor("np done", () => ["Succeeded", "Failed"].includes((s.store.get("pods", "cap", "np") as Pod | undefined)?.status?.phase ?? ""), 15_000);
    const np = s.logs.read({ namespace: "cap", pod: "np" });
    expect(np).toContain("<title>Welcome to nginx!</title>");
    expect(np).toContain("wget: can't connect to remote host (172.18.0.2): Connection refused");
    // dnsPolicy: Default gives the pod the node's resolver, which knows no cluster names.
    s.apply("pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "nodedns", namespace: "cap" }, spec: { restartPolicy: "Never", dnsPolicy: "Default", containers: [{ name: "c", image: "busybox:1.36", command: ["sh", "-c", "wget -qO- -T 2 http://web; wget -qO- -T 2 http://10.96.100.10"] }] } });
    await s.waitFor("nodedns done", () => ["Succeeded", "Failed"].includes((s.store.get("pods", "cap", "nodedns") as Pod | undefined)?.status?.phase ?? ""), 15_000);
    const nodeDns = s.logs.read({ namespace: "cap", pod: "nodedns" });
    expect(nodeDns).toContain("wget: bad address 'web'\n");
    expect(nodeDns).toContain("<title>Welcome to nginx!</title>");
    // Without CoreDNS, names do not resolve.
    const dns = s.store.get("deployments.apps", "kube-system", "coredns") as Deployment;
    dns.spec.replicas = 0;
    s.store.update("deployments.apps", dns, { force: true });
    await s.waitFor("no DNS endpoints", () => !(s.store.get("endpoints", "kube-system", "kube-dns")?.subsets as unknown[] | undefined)?.length, 15_000);
    s.apply("pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "probe2", namespace: "cap" }, spec: { restartPolicy: "Never", containers: [{ name: "probe2", image: "busybox:1.36", command: ["sh", "-c", "nslookup web; wget -qO- http://web"] }] } });
    await s.waitFor("probe2 done", () => (s.store.get("pods", "cap", "probe2") as Pod | undefined)?.status?.phase === "Failed", 15_000);
    expect(s.logs.read({ namespace: "cap", pod: "probe2" })).toBe(";; connection timed out; no servers could be reached\n\nwget: bad address 'web'\n");
  });

  it("enforces NetworkPolicies like kindnet: dropped connections and DNS time out", async () => {
    sim = startWorkloadSim({ timeScale: 20 });
    const s = sim;
    s.apply("pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "cap", labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } });
    s.apply("services", { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "cap" }, spec: { clusterIP: "10.96.100.20", selector: { app: "web" }, ports: [{ port: 80 }] } });
    const np = (name: string, spec: Record<string, unknown>) =>
      s.apply("networkpolicies.networking.k8s.io", { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: "cap" }, spec });
    np("deny-web", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"] });
    np("allow-clients", { podSelector: { matchLabels: { app: "web" } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: "client" } } }], ports: [{ port: 80 }] }] });
    np("no-egress", { podSelector: { matchLabels: { role: "isolated" } }, policyTypes: ["Egress"] });
    await s.waitFor("web and DNS ready", () => {
      const ready = (ns: string, n: string) => ((s.store.get("endpoints", ns, n)?.subsets as { addresses?: unknown[] }[] | undefined)?.[0]?.addresses?.length ?? 0) > 0;
      return ready("cap", "web") && ready("kube-system", "kube-dns");
    }, 15_000);
    const probe = (name: string, labels: Record<string, string>, cmd: string) =>
      s.apply("pods", { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "cap", labels }, spec: { restartPolicy: "Never", containers: [{ name, image: "busybox:1.36", command: ["sh", "-c", cmd] }] } });
    probe("stranger", { role: "other" }, "wget -qO- -T 2 http://web");
    probe("client", { role: "client" }, "wget -qO- -T 2 http://web");
    probe("isolated", { role: "isolated" }, "nslookup web");
    const done = (n: string) => ["Succeeded", "Failed"].includes((s.store.get("pods", "cap", n) as Pod | undefined)?.status?.phase ?? "");
    await s.waitFor("probes done", () => done("stranger") && done("client") && done("isolated"), 15_000);
    expect(s.logs.read({ namespace: "cap", pod: "stranger" })).toBe("wget: download timed out\n");
    expect(s.logs.read({ namespace: "cap", pod: "client" })).toContain("Welcome to nginx!");
    expect(s.logs.read({ namespace: "cap", pod: "isolated" })).toBe(";; connection timed out; no servers could be reached\n\n");
  });

  it("serves a ConfigMap mounted over nginx's web root, hiding the image's welcome page", async () => {
    sim = startWorkloadSim({ timeScale: 20 });
    const s = sim;
    s.apply("configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "site", namespace: "cap" }, data: { "index.html": "<h1>team site</h1>\n" } });
    s.apply("pods", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "site", namespace: "cap", labels: { app: "site" } },
      spec: {
        containers: [{ name: "nginx", image: "nginx:1.27", volumeMounts: [{ name: "html", mountPath: "/usr/share/nginx/html" }], readinessProbe: { httpGet: { path: "/", port: 80 }, periodSeconds: 2 } }],
        volumes: [{ name: "html", configMap: { name: "site" } }],
      },
    });
    s.apply("services", { apiVersion: "v1", kind: "Service", metadata: { name: "site", namespace: "cap" }, spec: { clusterIP: "10.96.100.30", selector: { app: "site" }, ports: [{ port: 80 }] } });
    await s.waitFor("ready with DNS", () => {
      const ready = (ns: string, n: string) => ((s.store.get("endpoints", ns, n)?.subsets as { addresses?: unknown[] }[] | undefined)?.[0]?.addresses?.length ?? 0) > 0;
      return ready("cap", "site") && ready("kube-system", "kube-dns");
    }, 15_000);
    const ip = (s.store.get("pods", "cap", "site") as Pod).status!.podIP!;
    expect(s.network.http(ip, 80, "/", "10.244.0.99")).toEqual({ ok: true, status: 200, body: "<h1>team site</h1>\n" });
    expect(s.network.http("10.96.100.30", 80, "/50x.html", "10.244.0.99")).toMatchObject({ ok: true, status: 404 });
    const conf = s.kubelets.get("kind-control-plane")!.exec!({ namespace: "cap", pod: "site", command: ["cat", "/etc/nginx/conf.d/default.conf"] });
    expect(conf.stdout).toContain("        root   /usr/share/nginx/html;");
  });

  it("rolls a DaemonSet template change out node by node", async () => {
    sim = startWorkloadSim({ bare: true, workers: 2, timeScale: 20 });
    const s = sim;
    s.apply("daemonsets.apps", {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "agent", namespace: "cap" },
      spec: { selector: { matchLabels: { app: "agent" } }, template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "a", image: "busybox:1.36", command: ["sleep", "infinity"] }] } } },
    });
    await s.waitFor("2 running", () => pods(s, "cap").filter((p) => p.status?.phase === "Running").length === 2);
    const oldHash = pods(s, "cap")[0]!.metadata.labels?.["controller-revision-hash"];
    let maxGone = 0;
    const stop = s.store.watch("pods", { namespace: "cap" }, () => {
      const ready = pods(s, "cap").filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
      maxGone = Math.max(maxGone, 2 - ready);
    });
    const ds = s.store.get("daemonsets.apps", "cap", "agent") as DaemonSet;
    ds.spec.template.spec.containers[0]!.image = "busybox:1.37";
    s.store.update("daemonsets.apps", ds, { force: true });
    await s.waitFor("updated", () => {
      const ps = pods(s, "cap").filter((p) => !p.metadata.deletionTimestamp);
      return ps.length === 2 && ps.every((p) => p.spec.containers[0]!.image === "busybox:1.37" && p.status?.phase === "Running");
    }, 15_000);
    stop();
    expect(maxGone).toBe(1);
    expect(pods(s, "cap").filter((p) => !p.metadata.deletionTimestamp).every((p) => p.metadata.labels?.["controller-revision-hash"] !== oldHash)).toBe(true);
    expect(s.store.list("controllerrevisions.apps", { namespace: "cap" }).items.map((r) => r.revision).sort()).toEqual([1, 2]);
  });
});
