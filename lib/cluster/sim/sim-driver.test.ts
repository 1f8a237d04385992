import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { createSimDriver } from "./sim-driver";
import { PtyShell } from "@/lib/testing/pty-shell";
import { toolsSkipReason } from "@/lib/testing/required-tools";

/**
 * The daemon path: `create` starts a detached process that outlives its caller, `attach` finds it
 * again from state.json, and `destroy` stops it and frees the port.
 */
const run = promisify(execFile);
const hasKubectl = toolsSkipReason({ suite: "sim-driver.test.ts", tools: ["kubectl"] }) === null;
const hasBwrap = toolsSkipReason({ suite: "sim-driver.test.ts (node shells)", tools: ["bwrap"], install: "apt-get install bubblewrap" }) === null;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-driver-"));
const driver = createSimDriver({ config: parseConfig({ BREAKFIX_DATA_DIR: dataDir }) }, { startTimeoutMs: 60_000 });

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.on("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.on("error", () => resolve(true));
  });
}

const hostDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-host-"));
const hosted = createSimDriver(
  { config: parseConfig({ BREAKFIX_DATA_DIR: hostDataDir }) },
  { startTimeoutMs: 60_000, processModel: "shared-host", keyAlgorithm: "ecdsa-p256" },
);

afterAll(async () => {
  for (const n of await driver.list()) await (await driver.attach(n))?.destroy();
  for (const n of await hosted.list()) await (await hosted.attach(n))?.destroy();
  fs.rmSync(hostDataDir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("sim driver (daemon per cluster)", () => {
  it.skipIf(!hasKubectl)("creates a cluster kubectl can use, re-attaches to it, and destroys it", async () => {
    const cluster = await driver.create({ name: "drv", workers: 1 });
    expect(await cluster.nodes()).toEqual([
      { name: "drv-control-plane", role: "control-plane" },
      { name: "drv-worker", role: "worker" },
    ]);
    const kubeconfig = path.join(dataDir, "kc.yaml");
    fs.writeFileSync(kubeconfig, await cluster.kubeconfig());
    const { stdout } = await run("kubectl", ["--kubeconfig", kubeconfig, "get", "nodes", "-o", "name"]);
    expect(stdout).toBe("node/drv-control-plane\nnode/drv-worker\n");
    expect(await driver.list()).toEqual(["drv"]);
    await expect(driver.create({ name: "drv", workers: 1 })).rejects.toThrow(/already running/);
    const again = await driver.attach("drv");
    expect(again?.name).toBe("drv");
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(await again!.kubeconfig())![1]);
    await again!.destroy();
    expect(await refused(port)).toBe(true);
    expect(await driver.attach("drv")).toBeNull();
    expect(await driver.list()).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, "sim", "drv"))).toBe(false);
  }, 90_000);

  it.skipIf(!hasKubectl)("shared host: two clusters in one process, each with its own API, removed one by one", async () => {
    const a = await hosted.create({ name: "ha", workers: 0 });
    const b = await hosted.create({ name: "hb", workers: 0 });
    const stateOf = (n: string) => JSON.parse(fs.readFileSync(path.join(hostDataDir, "sim", n, "state.json"), "utf8")) as { pid: number; port: number };
    expect(stateOf("ha").pid).toBe(stateOf("hb").pid);
    expect(stateOf("ha").port).not.toBe(stateOf("hb").port);
    for (const [c, n] of [[a, "ha"], [b, "hb"]] as const) {
      const kc = path.join(hostDataDir, `${n}.yaml`);
      fs.writeFileSync(kc, await c.kubeconfig());
      expect((await run("kubectl", ["--kubeconfig", kc, "get", "nodes", "-o", "name"])).stdout).toBe(`node/${n}-control-plane\n`);
    }
    expect(await hosted.list()).toEqual(["ha", "hb"]);
    // Both APIs live in one process, yet a node shell of one reaches only its own.
    if (hasBwrap) {
      const sh = new PtyShell(a.shell("ha-control-plane"));
      try {
        await sh.prompt("root@ha-control-plane:/# ");
        expect(await sh.run("kubectl get nodes -o name")).toEqual({ code: 0, output: "node/ha-control-plane\n" });
        const other = await sh.run(`kubectl --server https://127.0.0.1:${stateOf("hb").port} get nodes`);
        expect(other.code).toBe(1);
        expect(other.output).toContain(`The connection to the server 127.0.0.1:${stateOf("hb").port} was refused`);
      } finally {
        await sh.exit();
      }
    }
    const hostPid = stateOf("ha").pid;
    const portA = stateOf("ha").port;
    await a.destroy();
    expect(await refused(portA)).toBe(true);
    expect(await hosted.list()).toEqual(["hb"]);
    await b.destroy();
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      try {
        process.kill(hostPid, 0);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(() => process.kill(hostPid, 0)).toThrow();
  }, 90_000);
});
