import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { createSimDriver } from "./sim-driver";

/**
 * The daemon path: `create` starts a detached process that outlives its caller, `attach` finds it
 * again from state.json, and `destroy` stops it and frees the port.
 */
const run = promisify(execFile);
const hasKubectl = fs.existsSync("/usr/bin/kubectl");
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

afterAll(async () => {
  for (const n of await driver.list()) await (await driver.attach(n))?.destroy();
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
});
