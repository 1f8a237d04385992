import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import * as pty from "node-pty";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { batterySkipReason, startBatteryCluster, type BatteryCluster } from "@/lib/testing/battery-cluster";

/**
 * `kubectl exec` into a pod is a real shell: pipes, loops, redirections, stdin, the files the
 * kubelet gives every container (resolv.conf, hosts, the ServiceAccount token, ConfigMap volumes
 * with their ..data layout), an emptyDir shared by two containers, env from ConfigMaps and
 * services, a missing binary's runtime error, `exec -it` on a TTY and `kubectl cp` both ways.
 */
const reason = await batterySkipReason("pod-shell-kubectl.test.ts");
const NS = "shell";

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: box
  namespace: ${NS}
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    env:
    - name: GREETING
      valueFrom:
        configMapKeyRef: { name: app, key: greeting }
    volumeMounts:
    - { name: cfg, mountPath: /etc/app }
    - { name: shared, mountPath: /shared }
  - name: side
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    volumeMounts:
    - { name: shared, mountPath: /data }
  volumes:
  - name: cfg
    configMap: { name: app }
  - name: shared
    emptyDir: {}
`;

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe.skipIf(reason !== null)(`a shell in a pod through kubectl exec${reason ? ` (skipped: ${reason})` : ""}`, () => {
  let c: BatteryCluster;
  const exec = (args: string[], input?: string) => c.kubectl(["-n", NS, "exec", ...(input !== undefined ? ["-i"] : []), "box", "-c", "main", ...args], { input, timeoutMs: 30_000 });

  beforeAll(async () => {
    c = await startBatteryCluster({ suite: "shells", nodeSide: true });
    await c.kubectl(["create", "namespace", NS]);
    await c.kubectl(["-n", NS, "create", "service", "clusterip", "web", "--tcp=80:80"]);
    await c.kubectl(["-n", NS, "run", "web", "--image=nginx:1.27", "--labels=app=web"]);
    await c.kubectl(["-n", NS, "create", "configmap", "app", "--from-literal=greeting=hello", "--from-literal=mode=fast"]);
    const r = await c.kubectl(["apply", "-f", "-"], { input: POD });
    expect(r.code, r.stderr).toBe(0);
    for (const pod of ["box", "web"]) await until(`pod ${pod} Running`, async () => (await c.kubectl(["-n", NS, "get", "pod", pod, "-o", "jsonpath={.status.phase}"])).stdout === "Running", 180_000);
  }, 240_000);
  afterAll(() => c?.stop());

  it("runs pipes and loops in a real shell", async () => {
    const r = await exec(["--", "sh", "-c", "for i in 1 2 3; do echo $i; done | tail -1"]);
    expect(r).toMatchObject({ code: 0, stdout: "3\n" });
  });

  it("keeps a file written by a redirection for the next exec, and shares an emptyDir between containers", async () => {
    expect((await exec(["--", "sh", "-c", "echo kept > /tmp/note; echo both > /shared/x"])).code).toBe(0);
    expect((await exec(["--", "cat", "/tmp/note"])).stdout).toBe("kept\n");
    const side = await c.kubectl(["-n", NS, "exec", "box", "-c", "side", "--", "cat", "/data/x"]);
    expect(side).toMatchObject({ code: 0, stdout: "both\n" });
    // Each container has its own root: main's /tmp/note is not side's.
    expect((await c.kubectl(["-n", NS, "exec", "box", "-c", "side", "--", "cat", "/tmp/note"])).code).toBe(1);
  });

  it("passes stdin to the command", async () => {
    expect((await exec(["--", "sh", "-c", "cat > /tmp/in; wc -l < /tmp/in"], "a\nb\nc\n")).stdout.trim()).toBe("3");
    expect((await exec(["--", "cat", "/tmp/in"])).stdout).toBe("a\nb\nc\n");
  });

  it("has the kubelet's resolv.conf, hosts and hostname", async () => {
    const resolv = (await exec(["--", "cat", "/etc/resolv.conf"])).stdout;
    expect(resolv).toMatch(new RegExp(`^search ${NS}\\.svc\\.cluster\\.local svc\\.cluster\\.local cluster\\.local`));
    expect(resolv).toMatch(/\nnameserver 10\.96\.0\.10\n/);
    expect(resolv).toMatch(/\noptions ndots:5\n$/);
    const ip = (await c.kubectl(["-n", NS, "get", "pod", "box", "-o", "jsonpath={.status.podIP}"])).stdout;
    const hosts = (await exec(["--", "cat", "/etc/hosts"])).stdout;
    expect(hosts).toMatch(/^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
    expect(hosts).toContain(`\n${ip}\tbox\n`);
    expect((await exec(["--", "hostname"])).stdout).toBe("box\n");
  });

  it("mounts a ConfigMap with the atomic writer's ..data layout and the ServiceAccount token", async () => {
    expect((await exec(["--", "cat", "/etc/app/greeting"])).stdout).toBe("hello");
    expect((await exec(["--", "readlink", "/etc/app/mode"])).stdout).toBe("..data/mode\n");
    expect((await exec(["--", "sh", "-c", "ls -a /etc/app | grep -c '^\\.\\.'"])).stdout.trim()).toBe("3"); // .., ..data, ..<timestamp>
    const sa = "/var/run/secrets/kubernetes.io/serviceaccount";
    expect((await exec(["--", "ls", sa])).stdout).toBe("ca.crt\nnamespace\ntoken\n");
    expect((await exec(["--", "cat", `${sa}/namespace`])).stdout).toBe(NS);
    expect((await exec(["--", "cat", `${sa}/token`])).stdout).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);
    expect((await exec(["--", "cat", `${sa}/ca.crt`])).stdout).toMatch(/^-----BEGIN CERTIFICATE-----/);
    // The projected token authenticates against the apiserver as the pod's ServiceAccount.
    const token = (await exec(["--", "cat", `${sa}/token`])).stdout.trim();
    const kc = YAML.parse(c.kubeconfigText) as { users: { user: Record<string, string> }[] };
    kc.users[0]!.user = { token };
    const tokenKubeconfig = path.join(c.dir, "token.kubeconfig");
    fs.writeFileSync(tokenKubeconfig, YAML.stringify(kc), { mode: 0o600 });
    const whoami = await c.kubectl(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"], { kubeconfig: tokenKubeconfig, timeoutMs: 30_000 });
    expect(whoami.stdout).toBe(`system:serviceaccount:${NS}:default`);
  });

  it("has the container's env and the service variables", async () => {
    const env = (await exec(["--", "env"])).stdout;
    expect(env).toMatch(/^GREETING=hello$/m);
    expect(env).toMatch(/^HOSTNAME=box$/m);
    expect(env).toMatch(/^WEB_SERVICE_HOST=10\.96\.\d+\.\d+$/m);
    expect(env).toMatch(/^WEB_SERVICE_PORT=80$/m);
    expect(env).toMatch(/^WEB_PORT_80_TCP=tcp:\/\/10\.96\.\d+\.\d+:80$/m);
    expect(env).toMatch(/^KUBERNETES_SERVICE_HOST=10\.96\.0\.1$/m);
  });

  it("fails a missing binary with the runtime's error", async () => {
    const r = await exec(["--", "nosuchtool"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuchtool": executable file not found in \$PATH: unknown\n$/m,
    );
    const sh = await exec(["--", "sh", "-c", "nosuchtool"]);
    expect(sh.code).toBe(127);
    expect(sh.stderr).toContain("sh: nosuchtool: not found");
  });

  it("gives exec -it a terminal", async () => {
    const term = pty.spawn("kubectl", ["--kubeconfig", c.kubeconfig, "-n", NS, "exec", "-it", "box", "--", "sh"], { name: "xterm", cols: 120, rows: 30, env: { ...process.env, HOME: c.dir } as Record<string, string> });
    let out = "";
    term.onData((d) => (out += d));
    let exited: number | null = null;
    term.onExit(({ exitCode }) => (exited = exitCode));
    await until("the prompt", async () => out.includes("# "), 20_000);
    term.write("echo typed-$((6*7)); stty size\r");
    await until("the command's output", async () => /typed-42\r\n30 120\r\n/.test(out), 20_000);
    term.write("exit 4\r");
    await until("the shell to end", async () => exited !== null, 20_000);
    expect(exited).toBe(4);
  });

  it("runs kubectl run --rm -it with a shell as the container's main process (attach)", async () => {
    const term = pty.spawn("kubectl", ["--kubeconfig", c.kubeconfig, "-n", NS, "run", "tmp", "--rm", "-it", "--restart=Never", "--image=busybox:1.36", "--", "sh"], {
      name: "xterm",
      cols: 100,
      rows: 30,
      env: { ...process.env, HOME: c.dir } as Record<string, string>,
    });
    let out = "";
    term.onData((d) => (out += d));
    let exited: number | null = null;
    term.onExit(({ exitCode }) => (exited = exitCode));
    await until("the attach hint", async () => out.includes("If you don't see a command prompt, try pressing enter."), 90_000);
    term.write("\r");
    await until("the prompt", async () => out.includes("/ # "), 20_000);
    term.write("echo attached-$((1+1)); hostname\r");
    await until("the command's output", async () => /attached-2\r\ntmp\r\n/.test(out), 20_000);
    term.write("exit\r");
    await until("kubectl to end", async () => exited !== null, 60_000);
    expect(out).toContain('pod "tmp" deleted');
    expect(exited).toBe(0);
  });

  it("copies files both ways with kubectl cp", async () => {
    const local = path.join(c.dir, "upload.txt");
    fs.writeFileSync(local, "uploaded\n");
    const up = await c.kubectl(["cp", local, `${NS}/box:/tmp/upload.txt`, "-c", "main"], { timeoutMs: 30_000 });
    expect(up.code, up.stderr).toBe(0);
    expect((await exec(["--", "cat", "/tmp/upload.txt"])).stdout).toBe("uploaded\n");
    const back = path.join(c.dir, "note.txt");
    const down = await c.kubectl(["cp", `${NS}/box:/tmp/note`, back, "-c", "main"], { timeoutMs: 30_000 });
    expect(down.code, down.stderr).toBe(0);
    expect(fs.readFileSync(back, "utf8")).toBe("kept\n");
  });

  it("resolves and reaches Services with busybox's own nslookup, wget and nc", async () => {
    const ip = (await c.kubectl(["-n", NS, "get", "service", "web", "-o", "jsonpath={.spec.clusterIP}"])).stdout;
    const ns = await exec(["--", "nslookup", "web"]);
    // busybox ≥ 1.28 asks every search domain and exits 1 when one of them was NXDOMAIN, even after an answer.
    expect(ns.stdout).toMatch(/^Server:\t\t10\.96\.0\.10\nAddress:\t10\.96\.0\.10:53\n/);
    expect(ns.stdout).toContain(`Name:\tweb.${NS}.svc.cluster.local\nAddress: ${ip}\n`);
    const missing = await exec(["--", "nslookup", "nosuch"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(`** server can't find nosuch.${NS}.svc.cluster.local: NXDOMAIN`);
    const page = await exec(["--", "sh", "-c", "wget -qO- http://web | grep -o 'Welcome to nginx!' | head -1"]);
    expect(page.stdout).toBe("Welcome to nginx!\n");
    const refused = await exec(["--", "sh", "-c", "wget -qO- http://web:81/; echo rc=$?"]);
    expect(refused.stdout).toBe("rc=1\n");
    expect(refused.stderr).toBe(`wget: can't connect to remote host (${ip}): Connection refused\n`);
    const nc = await exec(["--", "sh", "-c", "echo | nc -w 2 web 80 >/dev/null; echo rc=$?"]);
    expect(nc.stdout).toBe("rc=0\n");
  });

  it("streams output of a long command as it runs", async () => {
    const child = spawn("kubectl", ["--kubeconfig", c.kubeconfig, "-n", NS, "exec", "box", "--", "sh", "-c", "echo first; sleep 3; echo second"], { env: { ...process.env, HOME: c.dir } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const t0 = Date.now();
    await until("the first line", async () => out === "first\n", 10_000);
    expect(Date.now() - t0).toBeLessThan(2500);
    await new Promise((r) => child.on("close", r));
    expect(out).toBe("first\nsecond\n");
  });
});
