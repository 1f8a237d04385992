import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConflictError, InputError, NotFoundError, TimeoutError, UnavailableError } from "@/lib/errors";
import { fakeToolsEnv, type FakeToolsEnv } from "./fixtures/fake-tools-env";
import { KIND_PINS } from "./kind-pins";

let fx: FakeToolsEnv | undefined;
const setup = (...args: Parameters<typeof fakeToolsEnv>) => (fx = fakeToolsEnv(...args));
afterEach(() => {
  fx?.cleanup();
  fx = undefined;
});

describe("kind driver: available()", () => {
  it("is ok with a reachable daemon, kind v0.32.0 and kubectl, and parses their versions", async () => {
    const f = setup();
    const a = await f.driver().available();
    expect(a).toMatchObject({ ok: true, missing: [], warnings: [] });
    expect(a.versions).toEqual({ dockerClient: "28.2.2", dockerServer: "28.2.2", kind: "0.32.0", kubectl: "v1.32.4" });
    expect(f.calls().map((c) => [c.tool, ...c.argv]).sort()).toEqual([
      ["docker", "version", "--format", "{{json .}}"],
      ["kind", "version"],
      ["kubectl", "version", "--client", "-o", "json"],
    ]);
  });

  it("reports a Docker daemon that is down, with Docker's own message and how to start it", async () => {
    const a = await setup({ FAKE_DOCKER: "down" }).driver().available();
    expect(a.ok).toBe(false);
    expect(a.missing).toEqual(["docker-daemon"]);
    expect(a.details?.[0]).toMatch(/daemon is not reachable \(Cannot connect to the Docker daemon at unix:\/\/\/var\/run\/docker.sock/);
    expect(a.details?.[0]).toMatch(/systemctl start docker/);
  });

  it("tells a user without access to the socket to join the docker group", async () => {
    const a = await setup({ FAKE_DOCKER: "denied" }).driver().available();
    expect(a.missing).toEqual(["docker-daemon"]);
    expect(a.details?.[0]).toMatch(/usermod -aG docker/);
  });

  it("reports kind missing from PATH with where to get the pinned minimum version", async () => {
    const a = await setup({}, { without: ["kind"] }).driver().available();
    expect(a.ok).toBe(false);
    expect(a.missing).toEqual(["kind"]);
    expect(a.details?.join("\n")).toMatch(/kind: not found on PATH\. Install kind v0\.32\.0 or newer/);
  });

  it("reports docker and kubectl missing, each by name", async () => {
    const a = await setup({}, { without: ["docker", "kubectl"] }).driver().available();
    expect(a.missing).toEqual(["docker", "kubectl"]);
    expect(a.details?.join("\n")).toMatch(/docs\.docker\.com\/engine\/install/);
  });

  it("refuses a kind older than the pinned node image needs", async () => {
    const a = await setup({ FAKE_KIND_VERSION: "0.29.0" }).driver().available();
    expect(a.missing).toEqual(["kind"]);
    expect(a.details?.[0]).toMatch(/v0\.29\.0 is too old/);
  });

  it("warns about low inotify limits with the exact sysctl to run, without failing", async () => {
    const f = setup();
    const limits: Record<string, number> = { "fs.inotify.max_user_watches": 8192, "fs.inotify.max_user_instances": 128 };
    const a = await f.driver({ readSysctl: (k) => limits[k] ?? null }).available();
    expect(a.ok).toBe(true);
    expect(a.warnings[0]).toContain("sudo sysctl -w fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512");
    expect(a.warnings[0]).toContain("fs.inotify.max_user_watches=8192");
  });
});

describe("kind driver: create()", () => {
  it("runs kind create with the pinned image, a 1+N config and its own kubeconfig file, then waits for Ready", async () => {
    const f = setup();
    const d = f.driver();
    const cluster = await d.create({ name: "lab1", workers: 2 });
    expect(cluster.name).toBe("breakfix-lab1");
    const create = f.calls().find((c) => c.tool === "kind" && c.argv[0] === "create")!;
    const kubeconfigFile = path.join(f.dir, "data", "kind", "kubeconfigs", "breakfix-lab1.yaml");
    expect(create.argv).toEqual([
      "create", "cluster", "--name", "breakfix-lab1", "--config", create.argv[5], "--image", KIND_PINS.nodeImage, "--wait", "5m", "--kubeconfig", kubeconfigFile,
    ]);
    expect(parse(create.config!)).toEqual({
      kind: "Cluster",
      apiVersion: "kind.x-k8s.io/v1alpha4",
      nodes: [{ role: "control-plane" }, { role: "worker" }, { role: "worker" }],
    });
    expect(fs.existsSync(create.argv[5]!)).toBe(false); // the temp config is cleaned up
    expect(f.calls().some((c) => c.tool === "docker" && c.argv.join(" ") === "exec breakfix-lab1-control-plane kubectl get nodes -o json")).toBe(true);
    expect(await cluster.nodes()).toEqual([
      { name: "breakfix-lab1-control-plane", role: "control-plane" },
      { name: "breakfix-lab1-worker", role: "worker" },
      { name: "breakfix-lab1-worker2", role: "worker" },
    ]);
  });

  it("gives kubectl a kubeconfig on every node, workers included", async () => {
    const f = setup();
    await f.driver().create({ name: "kc", workers: 1 });
    const writes = f.calls().filter((c) => c.tool === "docker" && c.argv[1] === "-i" && c.argv.join(" ").includes("/root/.kube/config"));
    expect(writes.map((c) => c.argv[2])).toEqual(["breakfix-kc-control-plane", "breakfix-kc-worker"]);
    expect(writes[1]!.stdin).toContain("server: https://breakfix-kc-control-plane:6443");
  });

  it("installs vim-tiny, nano and less on each node with apt-get, as argv", async () => {
    const f = setup();
    await f.driver().create({ name: "tools", workers: 1 });
    const installs = f.calls().filter((c) => c.argv.includes("install"));
    // Nodes install in parallel, so the log order varies.
    expect(installs.map((c) => c.argv).sort((a, b) => a[1]!.localeCompare(b[1]!))).toEqual(
      ["breakfix-tools-control-plane", "breakfix-tools-worker"].map((n) => [
        "exec", n, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q", "--no-install-recommends", "vim-tiny", "nano", "less",
      ]),
    );
  });

  it("skips apt-get on a node image that already has the tools", async () => {
    const f = setup({ FAKE_NODE_TOOLS: "1", FAKE_NETWORK: "off" });
    await f.driver().create({ name: "prebuilt", workers: 1 });
    expect(f.calls().filter((c) => c.argv.includes("apt-get"))).toEqual([]);
  });

  it("says so when the network does not allow installing the tools, and still returns the cluster", async () => {
    const f = setup({ FAKE_NETWORK: "off" });
    const { createKindCluster } = await import("./create-kind-cluster");
    const { logger } = await import("@/lib/logger");
    const r = await createKindCluster(
      { name: "breakfix-offline", workers: 0, image: KIND_PINS.nodeImage },
      { run: (await import("./run-command")).runCommand, env: f.env, log: logger, kubeconfigDir: path.join(f.dir, "kc"), readSysctl: () => null, pollMs: 100 },
    );
    expect(r.cluster.name).toBe("breakfix-offline");
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/Could not install vim-tiny, nano, less on 1 node\(s\), probably no network: .*E: Unable to locate package vim-tiny/);
    expect(r.warnings[0]).toMatch(/no text editor/);
  });

  it("deletes the cluster and names the failing step when kind fails halfway", async () => {
    const f = setup({ FAKE_KIND_CREATE: "fail-kubeadm" });
    const err = await f.driver().create({ name: "half", workers: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).toMatch(/kind could not create cluster breakfix-half: ERROR: failed to create cluster: failed to init node with kubeadm/);
    const kinds = f.calls().filter((c) => c.tool === "kind").map((c) => c.argv.slice(0, 2).join(" "));
    expect(kinds).toEqual(["create cluster", "delete cluster"]);
    expect(f.clusters()).toEqual([]);
  });

  it("deletes the cluster when the nodes never become Ready, naming the nodes it waited for", async () => {
    const f = setup({ FAKE_NODES_READY: "0" });
    const err = await f.driver().create({ name: "notready", workers: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toMatch(/nodes of breakfix-notready to be Ready; not Ready: breakfix-notready-control-plane, breakfix-notready-worker/);
    expect(f.clusters()).toEqual([]);
  });

  it("kills kind and cleans up when the creation is aborted", async () => {
    const f = setup({ FAKE_KIND_CREATE: "hang" });
    const ac = new AbortController();
    const p = f.driver().create({ name: "aborted", workers: 0, signal: ac.signal });
    setTimeout(() => ac.abort(new Error("lab cancelled")), 800);
    await expect(p).rejects.toThrow("lab cancelled");
    expect(f.calls().filter((c) => c.tool === "kind").map((c) => c.argv[0])).toEqual(["create", "delete"]);
    expect(f.clusters()).toEqual([]);
  });

  it("fails with a Docker hint when the daemon is down, and refuses a name that exists", async () => {
    const down = setup({ FAKE_DOCKER: "down" });
    const err = await down.driver().create({ name: "x", workers: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as UnavailableError).hint).toBe("Start Docker and try again.");
    down.cleanup();
    const f = setup();
    f.addCluster("breakfix-taken");
    await expect(f.driver().create({ name: "taken", workers: 1 })).rejects.toBeInstanceOf(ConflictError);
    expect(f.clusters()).toEqual(["breakfix-taken"]); // someone's lab is left alone
    expect(fs.existsSync(path.join(f.dir, "data", "kind", "owned", "breakfix-taken"))).toBe(false); // and not marked ours
  });

  it("rejects names that cannot be kind names before running anything", async () => {
    const f = setup();
    await expect(f.driver().create({ name: "Bad_Name", workers: 0 })).rejects.toBeInstanceOf(InputError);
    expect(f.calls()).toEqual([]);
  });

  it("uses BREAKFIX_KIND_NODE_IMAGE when set", async () => {
    const f = setup();
    await f.driver({ configEnv: { BREAKFIX_KIND_NODE_IMAGE: "registry.local/kindest/node:v1.36.1-tools" } }).create({ name: "img", workers: 0 });
    const create = f.calls().find((c) => c.argv[0] === "create")!;
    expect(create.argv[create.argv.indexOf("--image") + 1]).toBe("registry.local/kindest/node:v1.36.1-tools");
  });
});

describe("kind driver: cluster handle", () => {
  it("exec passes argv to docker exec untouched and adds -i only with stdin", async () => {
    const f = setup();
    f.addCluster("breakfix-ex");
    const c = (await f.driver().attach("ex"))!;
    f.clearCalls();
    const r = await c.exec("breakfix-ex-worker", ["echo", "$HOME; rm -rf /"]);
    expect(r).toEqual({ code: 0, stdout: "$HOME; rm -rf /\n", stderr: "" });
    await c.exec("breakfix-ex-control-plane", ["sh", "-c", 'cat > "$1"', "sh", "/tmp/x"], { stdin: "data" });
    expect(f.calls().map((x) => x.argv)).toEqual([
      ["exec", "breakfix-ex-worker", "echo", "$HOME; rm -rf /"],
      ["exec", "-i", "breakfix-ex-control-plane", "sh", "-c", 'cat > "$1"', "sh", "/tmp/x"],
    ]);
    expect((await c.exec("breakfix-ex-worker", ["false"])).code).toBe(1);
  });

  it("exec refuses nodes of other clusters without running docker, and reports a missing node", async () => {
    const f = setup();
    f.addCluster("breakfix-ex", 0);
    const c = (await f.driver().attach("breakfix-ex"))!;
    f.clearCalls();
    await expect(c.exec("other-control-plane", ["true"])).rejects.toBeInstanceOf(InputError);
    await expect(c.exec("breakfix-ex-control-plane;reboot", ["true"])).rejects.toBeInstanceOf(InputError);
    expect(f.calls()).toEqual([]);
    await expect(c.exec("breakfix-ex-worker", ["true"])).rejects.toBeInstanceOf(NotFoundError);
  });

  it("shell is docker exec -it with TERM and the node's KUBECONFIG, and passes only Docker's env", async () => {
    const f = setup();
    f.addCluster("breakfix-sh");
    const c = (await f.driver().attach("sh"))!;
    const cp = c.shell("breakfix-sh-control-plane");
    expect(cp.file).toBe(path.join(import.meta.dirname, "fixtures", "bin", "docker"));
    expect(cp.args).toEqual(["exec", "-it", "-e", "TERM=xterm-256color", "-e", "KUBECONFIG=/etc/kubernetes/admin.conf", "breakfix-sh-control-plane", "bash", "-l"]);
    expect(c.shell("breakfix-sh-worker").args).toEqual(["exec", "-it", "-e", "TERM=xterm-256color", "-e", "KUBECONFIG=/root/.kube/config", "breakfix-sh-worker", "bash", "-l"]);
    expect(Object.keys(cp.env).sort()).toEqual(["HOME", "PATH", "TERM"]);
  });

  it("a node shell spawned with node-pty gets a terminal with TERM and the node's KUBECONFIG", async () => {
    const f = setup();
    f.addCluster("breakfix-pty");
    const spec = (await f.driver().attach("pty"))!.shell("breakfix-pty-worker");
    const pty = await import("node-pty");
    const out = await new Promise<string>((resolve, reject) => {
      const term = pty.spawn(spec.file, spec.args, { name: "xterm-256color", cols: 200, rows: 20, env: { ...spec.env, FAKE_NODE: process.execPath, FAKE_KIND_STATE: f.env.FAKE_KIND_STATE!, FAKE_KIND_LOG: f.env.FAKE_KIND_LOG! }, cwd: f.dir });
      let text = "";
      const timer = setTimeout(() => {
        term.kill();
        reject(new Error(`no marker; got ${JSON.stringify(text)}`));
      }, 15_000);
      term.onData((d) => {
        text += d;
        if (text.includes("__DONE_42__")) {
          clearTimeout(timer);
          term.write("exit\r");
          resolve(text);
        }
      });
      term.write("tty -s && echo TTY$((1+1)); echo \"$TERM|$KUBECONFIG\"; echo __DONE_$((40+2))__\r");
    });
    expect(out).toContain("TTY2"); // computed by the shell, so not the echo of the typed line
    expect(out).toContain("xterm-256color|/root/.kube/config");
  });

  it("kubeconfig comes from kind get kubeconfig; a vanished cluster is NotFound", async () => {
    const f = setup();
    f.addCluster("breakfix-kc");
    const d = f.driver();
    const c = (await d.attach("kc"))!;
    expect(parse(await c.kubeconfig())).toMatchObject({ kind: "Config", "current-context": "kind-breakfix-kc" });
    expect(f.calls().at(-1)!.argv).toEqual(["get", "kubeconfig", "--name", "breakfix-kc"]);
    await c.destroy();
    await expect(c.kubeconfig()).rejects.toBeInstanceOf(NotFoundError);
  });

  it("list fails with kind's own error when Docker is down", async () => {
    const err = await setup({ FAKE_DOCKER: "down" }).driver().list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).toBe(
      `kind could not list clusters: ERROR: failed to list clusters: command "docker ps -a --filter label=io.x-k8s.kind.cluster --format '{{.Label "io.x-k8s.kind.cluster"}}'" failed with error: exit status 1`,
    );
  });

  it("list shows only breakfix- clusters; attach finds them by short or full name; destroy deletes", async () => {
    const f = setup();
    f.addCluster("kind");
    f.addCluster("breakfix-a");
    f.addCluster("breakfix-pool-1a2b3c");
    const d = f.driver();
    expect(await d.list()).toEqual(["breakfix-a", "breakfix-pool-1a2b3c"]);
    expect((await d.attach("a"))?.name).toBe("breakfix-a");
    expect(await d.attach("nope")).toBeNull();
    await (await d.attach("breakfix-a"))!.destroy();
    expect(f.calls().at(-1)!.argv).toEqual(["delete", "cluster", "--name", "breakfix-a"]);
    expect(f.clusters()).toEqual(["breakfix-pool-1a2b3c", "kind"]);
  });

  it("preloadImages loads local images in one kind load call and explains images it cannot get offline", async () => {
    const f = setup({ FAKE_LOCAL_IMAGES: "nginx:1.27.3,busybox:1.37.0", FAKE_NETWORK: "off" });
    f.addCluster("breakfix-img");
    const c = (await f.driver().attach("img"))!;
    f.clearCalls();
    const r = await c.preloadImages(["nginx:1.27.3", "busybox:1.37.0", "redis:7.4.1", "nginx:1.27.3"]);
    expect(r.loaded).toEqual(["nginx:1.27.3", "busybox:1.37.0"]);
    expect(r.missing).toHaveLength(1);
    expect(r.missing[0]!.image).toBe("redis:7.4.1");
    expect(r.missing[0]!.reason).toMatch(/docker pull.*failed.*server misbehaving\)\. Pull it while online: docker pull redis:7\.4\.1/);
    expect(f.calls().filter((x) => x.tool === "kind").map((x) => x.argv)).toEqual([
      ["load", "docker-image", "nginx:1.27.3", "busybox:1.37.0", "--name", "breakfix-img"],
    ]);
  });
});
