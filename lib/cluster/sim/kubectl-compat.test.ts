import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimCluster, type SimCluster } from "./sim-cluster";
import { findOnPath, toolsSkipReason } from "@/lib/testing/required-tools";

/**
 * The real kubectl binary against one in-process sim cluster: columns, statuses, messages and
 * exit codes as a learner sees them. One cluster is shared by the whole file (start-up costs
 * more than the tests); each test works in its own namespace.
 */

const hasKubectl = toolsSkipReason({ suite: "kubectl-compat.test.ts", tools: ["kubectl"] }) === null;
const KUBECTL = findOnPath("kubectl") ?? "kubectl";

let cluster: SimCluster;
let dir: string;
let kubeconfig: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** kubectl's environment, with a HOME of its own (discovery cache) and the sim kubeconfig. */
function kenv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, HOME: dir, KUBECONFIG: kubeconfig, ...extra };
}

function kubectl(args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      args,
      { env: kenv(env), timeout: timeoutMs },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === "number" ? Number((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** kubectl that must succeed; returns stdout. */
async function k(...args: string[]): Promise<string> {
  const r = await kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Splits a kubectl table into rows of cells (columns separated by 2+ spaces). */
function table(out: string): string[][] {
  return out
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => l.trim().split(/\s{2,}/));
}

beforeAll(async () => {
  if (!hasKubectl) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-kubectl-"));
  cluster = await startSimCluster({ name: "compat", workers: 2, timeScale: 5, keyAlgorithm: "ecdsa-p256" });
  kubeconfig = path.join(dir, "kubeconfig");
  fs.writeFileSync(kubeconfig, cluster.kubeconfig());
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasKubectl)("kubectl against the sim cluster", () => {
  it("version, api-resources, auth can-i and readyz answer like a v1.32 kind cluster", async () => {
    const v = await k("version");
    expect(v).toMatch(/Server Version: v1\.32\.\d+/);
    expect(v).not.toContain("WARNING");
    const res = table(await k("api-resources"));
    expect(res[0]).toEqual(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]);
    expect(res).toContainEqual(["deployments", "deploy", "apps/v1", "true", "Deployment"]);
    expect(res).toContainEqual(["pods", "po", "v1", "true", "Pod"]);
    expect(await k("auth", "can-i", "create", "deployments")).toBe("yes\n");
    const ready = await k("get", "--raw", "/readyz?verbose");
    expect(ready).toContain("[+]etcd ok");
    expect(ready.trim().endsWith("readyz check passed")).toBe(true);
  });

  it("get nodes -o wide shows kind's nodes with roles and node info", async () => {
    const rows = table(await k("get", "nodes", "-o", "wide"));
    expect(rows[0]).toEqual(["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(["compat-control-plane", "compat-worker", "compat-worker2"]);
    expect(rows[1]!.slice(1, 3)).toEqual(["Ready", "control-plane"]);
    expect(rows[2]!.slice(1, 3)).toEqual(["Ready", "<none>"]);
    expect(rows[1]![5]).toBe("172.18.0.2");
  });

  it("get pods -A lists kube-system, and -o name/json/yaml/jsonpath print the forms kubectl knows", async () => {
    await until("kube-system pods Running", async () => {
      const rows = table(await k("get", "pods", "-A")).slice(1);
      return rows.length > 0 && rows.every((r) => r[3] === "Running");
    });
    const rows = table(await k("get", "pods", "-A", "-o", "wide"));
    expect(rows[0]).toEqual(["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
    expect(rows.some((r) => r[0] === "kube-system" && r[1]!.startsWith("coredns-"))).toBe(true);
    expect(await k("get", "ns", "-o", "name")).toContain("namespace/kube-system\n");
    const json = JSON.parse(await k("get", "ns", "kube-system", "-o", "json")) as { kind: string; metadata: { uid: string } };
    expect(json.kind).toBe("Namespace");
    expect(json.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(await k("get", "ns", "kube-system", "-o", "yaml")).toMatch(/^apiVersion: v1\nkind: Namespace\n/);
    expect(await k("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}")).toBe("compat-control-plane compat-worker compat-worker2");
  });

  it("errors are the apiserver's, with kubectl's exit code 1", async () => {
    const nf = await kubectl(["get", "pod", "nope"]);
    expect(nf.code).toBe(1);
    expect(nf.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    await k("create", "namespace", "errs");
    const dup = await kubectl(["create", "namespace", "errs"]);
    expect(dup.stderr).toBe('Error from server (AlreadyExists): namespaces "errs" already exists\n');
    const bad = await kubectl(["-n", "errs", "create", "deployment", "Bad_Name", "--image=nginx:1.27"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Deployment.apps "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"');
    await k("-n", "errs", "create", "configmap", "c", "--from-literal=a=b");
    const stale = JSON.parse(await k("-n", "errs", "get", "cm", "c", "-o", "json")) as { metadata: { resourceVersion: string }; data: Record<string, string> };
    await k("-n", "errs", "patch", "cm", "c", "-p", '{"data":{"a":"changed"}}');
    stale.data.a = "mine";
    const f = path.join(dir, "stale.json");
    fs.writeFileSync(f, JSON.stringify(stale));
    const conflict = await kubectl(["replace", "-f", f]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again');
    const typo = path.join(dir, "typo.yaml");
    fs.writeFileSync(
      typo,
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: typo, namespace: errs}\nspec:\n  replica: 2\n  selector: {matchLabels: {app: t}}\n  template:\n    metadata: {labels: {app: t}}\n    spec: {containers: [{name: c, image: nginx:1.27}]}\n",
    );
    const strict = await kubectl(["apply", "-f", typo]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe(
      `Error from server (BadRequest): error when creating "${typo}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"\n`,
    );
    const forbidden = await kubectl(["delete", "namespace", "kube-system"]);
    expect(forbidden.stderr).toContain('namespaces "kube-system" is forbidden: this namespace may not be deleted');
  });

  it("a claim's spec cannot change after creation: the class or access modes are refused, the storage request of a Pending claim too", async () => {
    await k("create", "namespace", "claims");
    const claim = path.join(dir, "claim.yaml");
    const claimYaml = (cls: string, mode: string, size: string) =>
      `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: claims}\nspec:\n  storageClassName: ${cls}\n  accessModes: [${mode}]\n  resources: {requests: {storage: ${size}}}\n`;
    fs.writeFileSync(claim, claimYaml("fast-ssd", "ReadWriteOnce", "1Gi"));
    expect(await k("apply", "-f", claim)).toBe("persistentvolumeclaim/data created\n");
    for (const changed of [claimYaml("manual", "ReadWriteOnce", "1Gi"), claimYaml("fast-ssd", "ReadWriteMany", "1Gi"), claimYaml("fast-ssd", "ReadWriteOnce", "2Gi")]) {
      fs.writeFileSync(claim, changed);
      const r = await kubectl(["apply", "-f", claim]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('The PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims');
    }
    // Labels and annotations are metadata, not spec: they still change.
    expect(await k("-n", "claims", "label", "pvc", "data", "team=ledger")).toBe("persistentvolumeclaim/data labeled\n");
    // A volume is created Pending and the volume controller makes it Available.
    const pv = path.join(dir, "pv.yaml");
    fs.writeFileSync(pv, "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: claims-pv}\nspec:\n  capacity: {storage: 2Gi}\n  accessModes: [ReadWriteOnce]\n  storageClassName: manual\n  hostPath: {path: /var/local/claims}\n");
    await k("apply", "-f", pv);
    await until("the volume to be Available", async () => (await k("get", "pv", "claims-pv", "-o", "jsonpath={.status.phase}")) === "Available");
  });

  it("create deployment, configmap, secrets, expose and run give the objects a real cluster makes", async () => {
    await k("create", "namespace", "mk");
    expect(await k("-n", "mk", "create", "deployment", "web", "--image=nginx:1.27", "--replicas=2")).toBe("deployment.apps/web created\n");
    expect(await k("-n", "mk", "create", "configmap", "cfg", "--from-literal=a=b")).toBe("configmap/cfg created\n");
    expect(await k("-n", "mk", "create", "secret", "generic", "s", "--from-literal=p=q")).toBe("secret/s created\n");
    expect(await k("-n", "mk", "create", "secret", "docker-registry", "reg", "--docker-server=r.example", "--docker-username=u", "--docker-password=p")).toBe(
      "secret/reg created\n",
    );
    expect(await k("-n", "mk", "expose", "deployment", "web", "--port=80")).toBe("service/web exposed\n");
    expect(await k("-n", "mk", "run", "one", "--image=busybox:1.36", "--", "sleep", "3600")).toBe("pod/one created\n");
    expect(await k("-n", "mk", "create", "token", "default")).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\s*$/);
    const secrets = table(await k("-n", "mk", "get", "secrets"));
    expect(secrets).toContainEqual(["reg", "kubernetes.io/dockerconfigjson", "1", expect.any(String)]);
    expect(secrets).toContainEqual(["s", "Opaque", "1", expect.any(String)]);
    const svc = table(await k("-n", "mk", "get", "svc", "web", "-o", "wide"));
    expect(svc[0]).toEqual(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]);
    expect(svc[1]![1]).toBe("ClusterIP");
    expect(svc[1]![2]).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(svc[1]!.slice(3, 5)).toEqual(["<none>", "80/TCP"]);
    expect(svc[1]![6]).toBe("app=web");
    await until("deployment web 2/2", async () => table(await k("-n", "mk", "get", "deploy", "web"))[1]![1] === "2/2");
    const d = table(await k("-n", "mk", "get", "deploy", "-o", "wide"));
    expect(d[0]).toEqual(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]);
    expect(d[1]!.filter((_, i) => i !== 4)).toEqual(["web", "2/2", "2", "2", "nginx", "nginx:1.27", "app=web"]);
    await until("endpoints of web", async () => /10\.244\.\d+\.\d+:80/.test(await k("-n", "mk", "get", "endpoints", "web")));
  });

  it("apply -f twice reports unchanged, and configured after a change", async () => {
    await k("create", "namespace", "ap");
    const f = path.join(dir, "apply.yaml");
    const doc = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ap
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports:
        - containerPort: 80
        env:
        - {name: MODE, value: "a"}
`;
    fs.writeFileSync(f, doc("nginx:1.27"));
    expect(await k("apply", "-f", f)).toBe("deployment.apps/web created\n");
    expect(await k("apply", "-f", f)).toBe("deployment.apps/web unchanged\n");
    fs.writeFileSync(f, doc("nginx:1.28"));
    expect(await k("apply", "-f", f)).toBe("deployment.apps/web configured\n");
    expect(await k("-n", "ap", "get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image} {.metadata.generation}")).toBe("nginx:1.28 2");
  });

  it("edit, patch (strategic, merge, json), scale, set image and set resources change the object", async () => {
    await k("create", "namespace", "ed");
    await k("-n", "ed", "create", "deployment", "web", "--image=nginx:1.27");
    const editor = path.join(dir, "editor.sh");
    fs.writeFileSync(editor, "#!/bin/sh\nsed -i 's/replicas: 1/replicas: 3/' \"$1\"\n", { mode: 0o755 });
    expect((await kubectl(["-n", "ed", "edit", "deploy", "web"], { KUBE_EDITOR: editor })).stdout).toBe("deployment.apps/web edited\n");
    const get = (jp: string) => k("-n", "ed", "get", "deploy", "web", "-o", `jsonpath=${jp}`);
    expect(await get("{.spec.replicas}")).toBe("3");
    expect(await k("-n", "ed", "patch", "deploy", "web", "-p", '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"A","value":"1"}]}]}}}}')).toBe(
      "deployment.apps/web patched\n",
    );
    await k("-n", "ed", "patch", "deploy", "web", "--type=merge", "-p", '{"metadata":{"labels":{"team":"blue"}}}');
    await k("-n", "ed", "patch", "deploy", "web", "--type=json", "-p", '[{"op":"replace","path":"/spec/replicas","value":2}]');
    expect(await get("{.spec.replicas} {.metadata.labels.team} {.spec.template.spec.containers[0].env[0].name}")).toBe("2 blue A");
    expect(await k("-n", "ed", "scale", "deploy", "web", "--replicas=1")).toBe("deployment.apps/web scaled\n");
    expect(await k("-n", "ed", "set", "image", "deploy/web", "nginx=nginx:1.28")).toBe("deployment.apps/web image updated\n");
    expect(await k("-n", "ed", "set", "resources", "deploy/web", "--limits=cpu=200m,memory=128Mi")).toBe("deployment.apps/web resource requirements updated\n");
    expect(await get("{.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].resources.limits.memory}")).toBe(
      "1 nginx:1.28 128Mi",
    );
    const unchanged = await kubectl(["-n", "ed", "patch", "deploy", "web", "--type=merge", "-p", '{"metadata":{"labels":{"team":"blue"}}}']);
    expect(unchanged.stdout).toBe("deployment.apps/web patched (no change)\n");
  });

  it("rollout status, restart and undo work on a deployment", async () => {
    await k("create", "namespace", "ro");
    await k("-n", "ro", "create", "deployment", "web", "--image=nginx:1.27", "--replicas=2");
    expect(await k("-n", "ro", "rollout", "status", "deploy/web", "--timeout=30s")).toContain('deployment "web" successfully rolled out');
    await k("-n", "ro", "set", "image", "deploy/web", "nginx=nginx:1.28");
    await k("-n", "ro", "rollout", "status", "deploy/web", "--timeout=30s");
    expect(await k("-n", "ro", "rollout", "restart", "deploy/web")).toBe("deployment.apps/web restarted\n");
    expect(await k("-n", "ro", "get", "deploy", "web", "-o", "jsonpath={.spec.template.metadata.annotations}")).toContain("kubectl.kubernetes.io/restartedAt");
    await k("-n", "ro", "rollout", "status", "deploy/web", "--timeout=30s");
    expect(await k("-n", "ro", "rollout", "undo", "deploy/web")).toBe("deployment.apps/web rolled back\n");
    await until("image back to 1.28 without the restart annotation", async () => {
      const out = await k("-n", "ro", "get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}");
      return out === "nginx:1.28";
    });
  });

  it("label, annotate, taint, cordon, drain and uncordon", async () => {
    await k("create", "namespace", "nd");
    expect(await k("-n", "nd", "create", "deployment", "web", "--image=nginx:1.27")).toContain("created");
    expect(await k("-n", "nd", "label", "deploy", "web", "tier=fe")).toBe("deployment.apps/web labeled\n");
    expect(await k("-n", "nd", "annotate", "deploy", "web", "note=hi")).toBe("deployment.apps/web annotated\n");
    expect(table(await k("-n", "nd", "get", "deploy", "web", "--show-labels"))[1]!.at(-1)).toBe("app=web,tier=fe");
    expect(await k("taint", "node", "compat-worker2", "dedicated=x:NoSchedule")).toBe("node/compat-worker2 tainted\n");
    expect(await k("taint", "node", "compat-worker2", "dedicated-")).toBe("node/compat-worker2 untainted\n");
    expect(await k("cordon", "compat-worker2")).toBe("node/compat-worker2 cordoned\n");
    expect(table(await k("get", "node", "compat-worker2"))[1]![1]).toBe("Ready,SchedulingDisabled");
    const drain = await kubectl(["drain", "compat-worker2", "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--timeout=60s"], {}, 70_000);
    expect(drain.code, drain.stderr).toBe(0);
    expect(drain.stdout).toContain("node/compat-worker2 drained");
    const left = table(await k("get", "pods", "-A", "-o", "wide", "--field-selector", "spec.nodeName=compat-worker2")).slice(1);
    expect(left.every((r) => r[1]!.startsWith("kindnet-") || r[1]!.startsWith("kube-proxy-"))).toBe(true);
    expect(await k("uncordon", "compat-worker2")).toBe("node/compat-worker2 uncordoned\n");
  });

  it("describe shows the pod's events, and get events sorts by lastTimestamp", async () => {
    await k("create", "namespace", "ev");
    await k("-n", "ev", "run", "web", "--image=nginx:1.27");
    await until("pod web Running", async () => table(await k("-n", "ev", "get", "pod", "web"))[1]![2] === "Running");
    const d = await k("-n", "ev", "describe", "pod", "web");
    expect(d).toMatch(/^Name:\s+web\nNamespace:\s+ev\n/);
    expect(d).toMatch(/Status:\s+Running/);
    expect(d).toMatch(/Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned ev\/web to compat-worker2?/);
    expect(d).toMatch(/Normal\s+Pulled\s+.*kubelet\s+Container image "nginx:1.27" already present on machine/);
    const ev = table(await k("-n", "ev", "get", "events", "--sort-by=.lastTimestamp"));
    expect(ev[0]).toEqual(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    expect(ev[1]![2]).toBe("Scheduled");
    expect(ev.slice(1).every((r) => r[3] === "pod/web")).toBe(true);
  });

  it("logs, logs -f, exec and logs --previous of a crash-looping container", async () => {
    await k("create", "namespace", "lg");
    await k("-n", "lg", "run", "web", "--image=nginx:1.27");
    await until("pod web Running", async () => table(await k("-n", "lg", "get", "pod", "web"))[1]![2] === "Running");
    expect(await k("-n", "lg", "logs", "web", "--tail=1")).toMatch(/\S/);
    const follow = spawn(KUBECTL, ["-n", "lg", "logs", "-f", "web"], { env: kenv() });
    let followed = "";
    follow.stdout.on("data", (c: Buffer) => (followed += c.toString()));
    await until("logs -f output", async () => followed.length > 0, 10_000);
    expect(follow.exitCode).toBeNull(); // still following a running container
    follow.kill();
    expect(await k("-n", "lg", "exec", "web", "--", "echo", "hello")).toBe("hello\n");
    const failed = await kubectl(["-n", "lg", "exec", "web", "--", "sh", "-c", "exit 3"]);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain("command terminated with exit code 3");
    await k("-n", "lg", "run", "crash", "--image=busybox:1.36", "--", "sh", "-c", "echo boom; exit 1");
    await until("crash restarted once", async () => /^[1-9]/.test(table(await k("-n", "lg", "get", "pod", "crash"))[1]![3] ?? ""));
    const row = table(await k("-n", "lg", "get", "pod", "crash"))[1]!;
    expect(["Error", "CrashLoopBackOff"]).toContain(row[2]);
    expect(row[3]).toMatch(/^\d+ \(\S+ ago\)$/);
    const prev = await kubectl(["-n", "lg", "logs", "crash", "--previous"]);
    expect(prev.code, prev.stderr).toBe(0);
  });

  it("get -w prints the list then each change", async () => {
    await k("create", "namespace", "wt");
    const w = spawn(KUBECTL, ["-n", "wt", "get", "configmaps", "-w"], { env: kenv() });
    let out = "";
    w.stdout.on("data", (c: Buffer) => (out += c.toString()));
    await until("initial list", async () => out.includes("kube-root-ca.crt"));
    await k("-n", "wt", "create", "configmap", "later", "--from-literal=a=b");
    await until("watched row", async () => /\nlater\s+1\s+\S+\n/.test(out));
    w.kill();
    expect(out.split("\n")[0]).toMatch(/^NAME\s+DATA\s+AGE$/);
    expect(out.match(/NAME\s+DATA/g)).toHaveLength(1);
  });

  it("delete: graceful pods go Terminating, --force removes at once, cascading follows ownerReferences", async () => {
    await k("create", "namespace", "del");
    await k("-n", "del", "create", "deployment", "web", "--image=nginx:1.27", "--replicas=2");
    await until("2 pods running", async () => table(await k("-n", "del", "get", "pods")).slice(1).filter((r) => r[2] === "Running").length === 2);
    // sleep as PID 1 ignores SIGTERM, so the pod stays Terminating for its grace period.
    await k("-n", "del", "run", "sleeper", "--image=busybox:1.36", "--", "sleep", "3600");
    await until("sleeper Running", async () => table(await k("-n", "del", "get", "pod", "sleeper"))[1]![2] === "Running");
    expect(await k("-n", "del", "delete", "pod", "sleeper", "--wait=false")).toBe('pod "sleeper" deleted\n');
    expect(table(await k("-n", "del", "get", "pod", "sleeper"))[1]![2]).toBe("Terminating");
    const pod = table(await k("-n", "del", "get", "pods", "-o", "name", "-l", "app=web"))[0]![0]!;
    expect(await k("-n", "del", "delete", pod, "--grace-period=0", "--force")).toBe(`${pod.replace("pod/", 'pod "')}" force deleted\n`);
    // Orphan: the ReplicaSet stays without its owner.
    expect(await k("-n", "del", "delete", "deploy", "web", "--cascade=orphan")).toBe('deployment.apps "web" deleted\n');
    await until("deployment gone", async () => (await kubectl(["-n", "del", "get", "deploy", "web"])).code === 1);
    const rs = JSON.parse(await k("-n", "del", "get", "rs", "-o", "json")) as { items: { metadata: { name: string; ownerReferences?: unknown[] } }[] };
    expect(rs.items).toHaveLength(1);
    expect(rs.items[0]!.metadata.ownerReferences).toBeUndefined();
    // Background: deleting the ReplicaSet takes its pods.
    await k("-n", "del", "delete", "rs", rs.items[0]!.metadata.name);
    await until("pods collected", async () => (await kubectl(["-n", "del", "get", "pods", "-o", "name"])).stdout.trim() === "", 30_000);
    // A namespace goes Terminating and then away with its content.
    await k("-n", "del", "create", "configmap", "x", "--from-literal=a=b");
    expect(await k("delete", "namespace", "del")).toBe('namespace "del" deleted\n');
    expect((await kubectl(["get", "namespace", "del"])).stderr).toBe('Error from server (NotFound): namespaces "del" not found\n');
  });
});
