import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { logger as rootLogger } from "@/lib/logger";

const logger = rootLogger.child({}, { level: "silent" });
import { collectGarbage } from "./collect-garbage";
import { fakeToolsEnv, type FakeToolsEnv } from "./fixtures/fake-tools-env";
import { newKindRuntime } from "./kind-driver";
import { describePool, readPoolState, WarmPool } from "./warm-pool";

let fx: FakeToolsEnv | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  fx?.cleanup();
  fx = undefined;
});

function ids(...list: string[]) {
  let i = 0;
  return () => list[i++] ?? `x${i}`;
}

describe("warm pool through the driver (fake kind)", () => {
  it("fills K clusters at start-up, hands one to a lab that fits and creates its replacement", async () => {
    const f = (fx = fakeToolsEnv());
    const d = f.driver({ configEnv: { BREAKFIX_KIND_POOL_SIZE: "1", BREAKFIX_KIND_POOL_WORKERS: "1" }, newId: ids("aaa111", "bbb222") });
    const stop = new AbortController();
    cleanups.push(async () => {
      await d.runtime.maintenance?.stop();
      stop.abort();
    });
    await d.maintain({ isClusterInUse: async () => false, signal: stop.signal });
    await d.runtime.pool!.fill();
    expect(f.clusters()).toEqual(["breakfix-pool-aaa111"]);
    expect(await d.status()).toContain("pool: 1/1 ready (breakfix-pool-aaa111)");

    const cluster = await d.create({ name: "lab-42", workers: 1 });
    expect(cluster.name).toBe("breakfix-pool-aaa111");
    await d.runtime.pool!.fill();
    expect(f.clusters()).toEqual(["breakfix-pool-aaa111", "breakfix-pool-bbb222"]);
    const state = readPoolState(path.join(f.dir, "data", "kind", "pool.json"));
    expect(state.idle.map((c) => c.name)).toEqual(["breakfix-pool-bbb222"]);

    // The handed-out cluster is protected from GC until the lab layer records it.
    const report = await d.collectGarbage(async () => false);
    expect(report.deleted).toEqual([]);
    expect(f.clusters()).toContain("breakfix-pool-aaa111");
  });

  it("finds a handed-out warm cluster under the name the lab asked for, in attach() and in GC", async () => {
    const f = (fx = fakeToolsEnv());
    const d = f.driver({ configEnv: { BREAKFIX_KIND_POOL_SIZE: "1" }, newId: ids("w00001", "w00002"), graceMs: 0 });
    const stop = new AbortController();
    cleanups.push(async () => {
      await d.runtime.maintenance?.stop();
      stop.abort();
    });
    let live = new Set(["bf-lab7"]);
    await d.maintain({ isClusterInUse: async (n) => live.has(n), signal: stop.signal });
    await d.runtime.pool!.fill();
    const c = await d.create({ name: "bf-lab7", workers: 1 });
    expect(c.name).toBe("breakfix-pool-w00001");
    await d.runtime.pool!.fill();

    // A restarted server (new runtime, same data dir, pool now off) re-attaches by the stored name,
    // keeps the lab's cluster and collects the idle warm one, which no pool holds any more.
    await d.runtime.maintenance?.stop();
    const after = f.driver({ configEnv: { BREAKFIX_KIND_POOL_SIZE: "0" }, graceMs: 0 });
    expect((await after.attach("bf-lab7"))?.name).toBe("breakfix-pool-w00001");
    expect((await after.collectGarbage(async (n) => live.has(n))).deleted).toEqual(["breakfix-pool-w00002"]);

    live = new Set();
    expect((await after.collectGarbage(async (n) => live.has(n))).deleted).toEqual(["breakfix-pool-w00001"]);
    expect(await after.attach("bf-lab7")).toBeNull();
  });

  it("asks the lab layer by the short name too: breakfix-lab-9 is in use when lab-9 is", async () => {
    const f = (fx = fakeToolsEnv());
    f.addCluster("breakfix-lab-9", 1, { owned: true });
    const d = f.driver();
    const asked: string[] = [];
    const r = await d.collectGarbage(async (n) => {
      asked.push(n);
      return n === "lab-9";
    });
    expect(r.kept).toEqual(["breakfix-lab-9"]);
    expect(asked).toEqual(["breakfix-lab-9", "lab-9"]);
  });

  it("does not use the pool for labs of another shape", async () => {
    const f = (fx = fakeToolsEnv());
    const d = f.driver({ configEnv: { BREAKFIX_KIND_POOL_SIZE: "1", BREAKFIX_KIND_POOL_WORKERS: "1" }, newId: ids("p1", "p2") });
    const stop = new AbortController();
    cleanups.push(async () => {
      await d.runtime.maintenance?.stop();
      stop.abort();
    });
    await d.maintain({ isClusterInUse: async () => false, signal: stop.signal });
    await d.runtime.pool!.fill();
    const c = await d.create({ name: "solo", workers: 0 });
    expect(c.name).toBe("breakfix-solo");
    expect(d.runtime.pool!.snapshot().idle.map((x) => x.name)).toEqual(["breakfix-pool-p1"]);
  });

  it("with pool size 0 builds no pool and status says it is off", async () => {
    const f = (fx = fakeToolsEnv());
    const d = f.driver();
    const stop = new AbortController();
    cleanups.push(async () => {
      await d.runtime.maintenance?.stop();
      stop.abort();
    });
    await d.maintain({ isClusterInUse: async () => false, signal: stop.signal });
    expect(d.runtime.pool).toBeNull();
    expect(f.clusters()).toEqual([]);
    expect(await d.status()).toContain("pool: off (BREAKFIX_KIND_POOL_SIZE=0)");
  });

  it("records a failed creation as the pool's last error, shown in status", async () => {
    const f = (fx = fakeToolsEnv({ FAKE_KIND_CREATE: "fail-kubeadm" }));
    const d = f.driver({ configEnv: { BREAKFIX_KIND_POOL_SIZE: "1" }, newId: ids("f1") });
    const stop = new AbortController();
    await d.maintain({ isClusterInUse: async () => false, signal: stop.signal });
    // The pool's first fill runs in the background; wait until it has failed and said so.
    await vi.waitFor(async () => expect((await d.status()).join("\n")).toMatch(/pool: last error at .*failed to init node with kubeadm/), {
      timeout: 20_000,
      interval: 100,
    });
    await d.runtime.maintenance?.stop();
    expect(f.clusters()).toEqual([]);
  });

  it("after a restart adopts its idle clusters and collects the ones it had handed out", async () => {
    const f = (fx = fakeToolsEnv());
    const configEnv = { BREAKFIX_KIND_POOL_SIZE: "1" };
    f.addCluster("breakfix-pool-idle01", 1, { owned: true });
    f.addCluster("breakfix-pool-given1", 1, { owned: true });
    f.addCluster("breakfix-lab-live", 1, { owned: true });
    f.addCluster("breakfix-lab-dead", 1, { owned: true });
    f.addCluster("breakfix-st-other-1"); // made from another data dir (a self-test run): not ours
    f.addCluster("kind"); // not breakfix's at all
    const file = path.join(f.dir, "data", "kind", "pool.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ idle: [{ name: "breakfix-pool-idle01", readyAt: "2026-11-21T08:00:00Z" }], creating: [], lastError: null }));

    const d = f.driver({ configEnv, runtime: newKindRuntime(), newId: ids("new001") });
    const stop = new AbortController();
    cleanups.push(async () => {
      await d.runtime.maintenance?.stop();
      stop.abort();
    });
    await d.maintain({ isClusterInUse: async (n) => n === "breakfix-lab-live", signal: stop.signal });
    expect(d.runtime.lastGc?.report.deleted.sort()).toEqual(["breakfix-lab-dead", "breakfix-pool-given1"]);
    expect(f.clusters()).toEqual(["breakfix-lab-live", "breakfix-pool-idle01", "breakfix-st-other-1", "kind"]);
    expect(d.runtime.pool!.snapshot().idle.map((c) => c.name)).toEqual(["breakfix-pool-idle01"]);
  });

  it("status in another process reads the pool file and flags a pool that nobody fills", async () => {
    const f = (fx = fakeToolsEnv());
    f.addCluster("breakfix-pool-r1");
    const file = path.join(f.dir, "data", "kind", "pool.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ idle: [{ name: "breakfix-pool-r1", readyAt: "2026-11-21T08:00:00Z" }], creating: [], lastError: null }));
    const lines = await f.driver({ configEnv: { BREAKFIX_KIND_POOL_SIZE: "2" } }).status();
    expect(lines).toContain("pool: 1/2 ready (breakfix-pool-r1)");
    expect(lines.join("\n")).toMatch(/pool: not filling/);
    expect(lines[0]).toBe("versions: docker client 28.2.2, server 28.2.2; kind v0.32.0; kubectl v1.32.4");
  });

  it("periodic GC deletes a cluster whose lab session ended", async () => {
    const f = (fx = fakeToolsEnv());
    f.addCluster("breakfix-lab-1", 1, { owned: true });
    let live = true;
    const d = f.driver({ configEnv: { BREAKFIX_KIND_GC_INTERVAL_SECONDS: "30" } });
    const stop = new AbortController();
    cleanups.push(async () => {
      await d.runtime.maintenance?.stop();
      stop.abort();
    });
    await d.maintain({ isClusterInUse: async () => live, signal: stop.signal });
    expect(f.clusters()).toEqual(["breakfix-lab-1"]);
    live = false;
    expect((await d.collectGarbage(async () => live)).deleted).toEqual(["breakfix-lab-1"]);
    expect(fs.existsSync(path.join(f.dir, "data", "kind", "owned", "breakfix-lab-1"))).toBe(false);
  });
});

describe("collectGarbage", () => {
  it("keeps clusters in use, protected ones, and any whose in-use check fails", async () => {
    const destroyed: string[] = [];
    const r = await collectGarbage({
      list: async () => ["breakfix-a", "breakfix-b", "breakfix-c", "breakfix-d"],
      isProtected: (n) => n === "breakfix-c",
      isClusterInUse: async (n) => {
        if (n === "breakfix-d") throw new Error("database is locked");
        return n === "breakfix-a";
      },
      destroy: async (n) => {
        destroyed.push(n);
      },
      log: logger,
    });
    expect(destroyed).toEqual(["breakfix-b"]);
    expect(r).toEqual({ deleted: ["breakfix-b"], kept: ["breakfix-a", "breakfix-c", "breakfix-d"], failed: [] });
  });
});

describe("WarmPool", () => {
  it("skips and deletes an unhealthy idle cluster and hands out the next", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-pool-"));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "pool.json");
    fs.writeFileSync(file, JSON.stringify({ idle: [{ name: "p-sick", readyAt: "t" }, { name: "p-ok", readyAt: "t" }], creating: [], lastError: null }));
    const destroyed: string[] = [];
    const pool = new WarmPool({
      size: 2,
      stateFile: file,
      newName: ids("p-new1", "p-new2"),
      create: async () => {},
      isHealthy: async (n) => n !== "p-sick",
      destroy: async (n) => {
        destroyed.push(n);
      },
      existing: async () => ["p-sick", "p-ok"],
      log: logger,
    });
    cleanups.push(() => pool.shutdown());
    await pool.start();
    expect(await pool.take()).toBe("p-ok");
    expect(destroyed).toEqual(["p-sick"]);
    await pool.fill();
    expect(pool.snapshot().idle.map((c) => c.name)).toEqual(["p-new1", "p-new2"]);
    expect(pool.owns("p-ok")).toBe(false);
    expect(pool.owns("p-new1")).toBe(true);
  });

  it("describePool counts only idle clusters that exist and creations whose process lives", () => {
    const lines = describePool(
      3,
      {
        idle: [{ name: "a", readyAt: "t" }, { name: "gone", readyAt: "t" }],
        creating: [{ name: "b", startedAt: "08:00", pid: 1 }, { name: "c", startedAt: "08:00", pid: 99999999 }],
        lastError: null,
      },
      ["a", "b"],
      (pid) => pid === 1,
    );
    expect(lines).toEqual(["pool: 1/3 ready (a), creating b since 08:00"]);
  });
});
