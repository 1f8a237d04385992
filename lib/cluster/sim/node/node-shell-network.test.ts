import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimCluster, type SimCluster } from "@/lib/cluster/sim/sim-cluster";
import { PtyShell } from "@/lib/testing/pty-shell";
import { toolsSkipReason } from "@/lib/testing/required-tools";
import { simNodeAccess } from "./sim-node-access";
import { forwarderPids } from "@/lib/testing/forwarder-pids";

/**
 * A node shell has a network namespace of its own: real bubblewrap, real node-pty, two real sim
 * clusters (the daemon's code path: startSimCluster with a cluster dir) and a real listener on
 * the host's loopback. Each "cannot reach" assertion is paired with the same command run through
 * exec, which keeps the host's network, so the listener is shown to be there and answering.
 */
const skipReason = toolsSkipReason({ suite: "node-shell-network.test.ts", tools: ["bwrap", "kubectl", "ip"], install: "apt-get install bubblewrap iproute2" });

interface Cluster {
  sim: SimCluster;
  dir: string;
}

let base: string;
let a: Cluster;
let b: Cluster;
let hostListener: net.Server;
let hostPort: number;
const accepted: net.Socket[] = [];

async function until(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function cluster(name: string): Promise<Cluster> {
  const dir = path.join(base, name);
  fs.mkdirSync(dir, { recursive: true });
  const sim = await startSimCluster({ name, workers: 1, clusterDir: dir, keyAlgorithm: "ecdsa-p256", timeScale: 10 });
  return { sim, dir };
}

function access(c: Cluster) {
  return simNodeAccess(c.dir, c.sim.nodes.map((n) => ({ name: n.name, role: n.role })));
}

/** A node shell of `c` on a real pty. */
function shellOn(c: Cluster, node: string): PtyShell {
  return new PtyShell(access(c).shell(node));
}

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`);

beforeAll(async () => {
  if (skipReason) return;
  base = fs.mkdtempSync(path.join(os.tmpdir(), "netns-"));
  [a, b] = await Promise.all([cluster("neta"), cluster("netb")]);
  hostListener = net.createServer((s) => {
    accepted.push(s);
    s.on("error", () => {}); // the dialer's timeout may reset it
    s.end("host service\n");
  });
  await new Promise<void>((resolve) => hostListener.listen(0, "127.0.0.1", resolve));
  hostPort = (hostListener.address() as net.AddressInfo).port;
}, 180_000);

afterAll(async () => {
  if (skipReason) return;
  hostListener?.close();
  for (const s of accepted) s.destroy();
  await Promise.all([a?.sim.stop(), b?.sim.stop()]);
  fs.rmSync(base, { recursive: true, force: true });
});

describe.skipIf(skipReason !== null)(`a sim node shell's own network namespace${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const cp = "neta-control-plane";

  it("reaches its own API (kubectl at the prompt) and nothing else on the host's loopback, and the node tools still work", async () => {
    const sh = shellOn(a, cp);
    await sh.prompt(`root@${cp}:/# `);
    const nodes = await sh.run("kubectl get nodes --no-headers");
    expect(nodes.code).toBe(0);
    expect(nodes.output).toMatch(/^neta-control-plane\s+Ready\s+control-plane/m);
    expect(nodes.output).toMatch(/^neta-worker\s+Ready/m);

    const dial = (port: number) => `timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port} && head -c 12 <&3'`;
    // The host's listener answers from the host's network (exec) ...
    const fromHost = await access(a).exec(cp, ["bash", "-c", dial(hostPort)]);
    expect(fromHost).toMatchObject({ code: 0, stdout: "host service" });
    // ... and is refused from the shell, whose 127.0.0.1 is its own.
    const toHost = await sh.run(dial(hostPort));
    expect(toHost.code).not.toBe(0);
    expect(toHost.output).toContain("Connection refused");

    // Cluster B's API: served on the host, refused from A's shell.
    const connectOnly = `timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/${b.sim.port}'`;
    expect((await access(a).exec(cp, ["bash", "-c", connectOnly])).code).toBe(0);
    const toBTcp = await sh.run(connectOnly);
    expect(toBTcp.code).not.toBe(0);
    expect(toBTcp.output).toContain("Connection refused");
    const toB = await sh.run(`kubectl --server https://127.0.0.1:${b.sim.port} get nodes`);
    expect(toB.code).toBe(1);
    expect(toB.output.split("\n").at(-2)).toBe(`The connection to the server 127.0.0.1:${b.sim.port} was refused - did you specify the right host or port?`);

    const links = await sh.run("ip -o link show | awk '{print $2}'");
    expect(links.output).toBe("lo:\n");
    const addrs = await sh.run("ip -o addr show | awk '{print $2, $4}'");
    expect(addrs.output).toBe("lo 127.0.0.1/8\nlo ::1/128\n");
    const routes = await sh.run("ip route show; ip -6 route show | grep -v '^::1 ' ; true");
    expect(routes.output).toBe("");

    // Root in the shell holds its capabilities in a user namespace only, even when the tests run
    // as root: it cannot make a device node for a host disk (and mount the host from it).
    const mknod = await sh.run("mknod /root/disk b 8 0");
    expect(mknod.code).not.toBe(0);
    expect(mknod.output).toContain("Operation not permitted");

    const ps = await sh.run("crictl ps --name kube-apiserver");
    expect(ps.code).toBe(0);
    expect(ps.output).toMatch(/Running +kube-apiserver/);
    const journal = await sh.run("journalctl -u kubelet --no-pager | tail -n 3");
    expect(journal.code).toBe(0);
    expect(journal.output).toMatch(/neta-control-plane kubelet\[\d+\]: /);
    const status = await sh.run("systemctl status kubelet --no-pager | grep Active:");
    expect(status.code).toBe(0);
    expect(status.output).toContain("Active: active (running)");

    const forwarders = forwarderPids(sh.term.pid);
    expect(forwarders).toHaveLength(1);
    expect(await sh.exit()).toBe(0);
    await until("the forwarder to die with the shell", async () => !alive(forwarders[0]!), 10_000);
  }, 180_000);

  it("shows a stopped apiserver as connection refused inside, and follows it back up", async () => {
    const sh = shellOn(a, cp);
    await sh.prompt(`root@${cp}:/# `);
    expect((await sh.run("mv /etc/kubernetes/manifests/kube-apiserver.yaml /root/")).code).toBe(0);
    try {
      await until("kubectl to be refused", async () => (await sh.run("kubectl get nodes")).output.includes("was refused"), 90_000);
      const refused = await sh.run("kubectl get nodes");
      expect(refused.code).toBe(1);
      // kubectl may first log its discovery retries (memcache.go) on stderr, as on a real node.
      expect(refused.output.split("\n").at(-2)).toBe(`The connection to the server 127.0.0.1:${a.sim.port} was refused - did you specify the right host or port?`);
    } finally {
      await sh.run("mv /root/kube-apiserver.yaml /etc/kubernetes/manifests/");
    }
    await until("kubectl to work again in the same shell", async () => (await sh.run("kubectl get nodes")).code === 0, 90_000);
    expect(await sh.exit()).toBe(0);
  }, 240_000);
});
