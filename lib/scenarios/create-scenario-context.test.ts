import fs from "node:fs";
import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import type { Cluster } from "@/lib/cluster/types";
import { createScenarioContext } from "./create-scenario-context";

// An API address that accepts connections and never answers: kubectl hangs on it.
const silent = net.createServer(() => undefined);
await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
const port = (silent.address() as net.AddressInfo).port;
afterAll(() => silent.close());

const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster: { server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true }
users:
- name: admin
  user: { token: x }
contexts:
- name: lab
  context: { cluster: lab, user: admin }
current-context: lab
`;

const execs: [string, string[]][] = [];
const cluster = {
  name: "fake",
  driver: "sim",
  nodes: async () => [
    { name: "fake-control-plane", role: "control-plane" },
    { name: "fake-worker", role: "worker" },
  ],
  kubeconfig: async () => kubeconfig,
  exec: async (node: string, argv: string[]) => (execs.push([node, argv]), { code: 0, stdout: "hello\n", stderr: "" }),
} as unknown as Cluster;

describe("createScenarioContext", () => {
  it("names the control plane and the workers, and refuses unknown nodes", async () => {
    const ctx = await createScenarioContext(cluster);
    try {
      expect(ctx.controlPlane).toBe("fake-control-plane");
      expect(ctx.workers).toEqual(["fake-worker"]);
      expect(await ctx.node("fake-worker").readFile("/etc/hostname")).toBe("hello\n");
      expect(execs.at(-1)).toEqual(["fake-worker", ["cat", "--", "/etc/hostname"]]);
      expect(() => ctx.node("../etc")).toThrow(/no node named/);
    } finally {
      ctx.dispose();
    }
  });

  it("runs the real kubectl on a private temp kubeconfig and removes it on dispose", async () => {
    const ctx = await createScenarioContext(cluster);
    const r = await ctx.kubectl(["config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}"]);
    expect(r).toMatchObject({ code: 0, stdout: `https://127.0.0.1:${port}` });
    const file = ctx.kubeconfigFile;
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    ctx.dispose();
    expect(fs.existsSync(file)).toBe(false);
  });

  it("never throws on a failing or hanging kubectl: it returns the exit code", async () => {
    const ctx = await createScenarioContext(cluster);
    try {
      const bad = await ctx.kubectl(["no-such-command"]);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/unknown command/);
      const hung = await ctx.kubectl(["get", "nodes"], { timeoutMs: 1500 });
      expect(hung.code).toBe(124);
      expect(hung.stderr).toMatch(/timed out after 1500 ms/);
    } finally {
      ctx.dispose();
    }
  });

  it("waits with a message that says what it waited for", async () => {
    const ctx = await createScenarioContext(cluster);
    try {
      let n = 0;
      expect(await ctx.waitFor(async () => (++n >= 3 ? "done" : false), { timeoutMs: 2000, intervalMs: 10, what: "three tries" })).toBe("done");
      await expect(
        ctx.waitFor(async () => { throw new Error("still broken"); }, { timeoutMs: 50, intervalMs: 10, what: "the API server to answer" }),
      ).rejects.toThrow(/waiting for the API server to answer \(last error: still broken\)/);
    } finally {
      ctx.dispose();
    }
  });
});
