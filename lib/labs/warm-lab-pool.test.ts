import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ScenarioPack } from "@/lib/scenarios/define-scenario";
import { setActiveLabPool } from "./active-lab-pool";
import { checkLab } from "./check-lab";
import { createFakeLabDeps, fakePack, type FakeCluster, type FakeLabDeps } from "./fake-lab-deps";
import { isClusterInUse } from "./is-cluster-in-use";
import { attachedLabCluster } from "./lab-clusters";
import { resetLab } from "./reset-lab";
import { startLabSession } from "./start-lab-session";
import { WarmLabPool, type WarmLabPoolOptions } from "./warm-lab-pool";

let deps: FakeLabDeps;
let userId: string;
let dir: string;
let pool: WarmLabPool | null = null;

beforeEach(async () => {
  deps = createFakeLabDeps();
  userId = (await deps.db.user.create({ data: { name: "learner" } })).id;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-lab-pool-"));
});
afterEach(async () => {
  setActiveLabPool(null);
  await pool?.drain();
  pool = null;
  await deps.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A pool over the fake driver whose labs get the "both" variant, while a cold start would pick "image". */
async function startPool(opts: Partial<WarmLabPoolOptions> = {}): Promise<WarmLabPool> {
  pool = new WarmLabPool({
    deps: { ...deps, pickVariant: (vs) => vs.find((v) => v.id === "both")! },
    driver: deps.driverImpl,
    packs: [fakePack],
    size: 1,
    stateFile: path.join(dir, "lab-pool.json"),
    retryDelayMs: 10,
    sweepMs: 60_000,
    ...opts,
  });
  setActiveLabPool(pool);
  await pool.start((name) => isClusterInUse(deps, name));
  await pool.fill();
  return pool;
}

async function waitUntil(what: string, fn: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function readySession(id: string) {
  await waitUntil("the lab to be ready", async () => (await deps.db.labSession.findUniqueOrThrow({ where: { id } })).state === "ready");
  return deps.db.labSession.findUniqueOrThrow({ where: { id } });
}

function fakeCluster(name: string): FakeCluster {
  const c = deps.driverImpl.clusters.get(name);
  if (!c) throw new Error(`no fake cluster ${name}`);
  return c;
}

describe("the lab pool", () => {
  it("prepares a lab per pack ahead: cluster created, setup done, a variant injected and its fault showing", async () => {
    const p = await startPool();
    const { ready } = p.snapshot();
    expect(ready).toHaveLength(1);
    expect(ready[0]).toMatchObject({ scenarioId: "fake-pack", variantId: "both" });
    expect(fakeCluster(ready[0]!.cluster).world).toEqual({ imageOk: false, replicasOk: false });
  });

  it("Start takes the prepared lab: ready with its cluster, the row records its variant, Check grades its fault, a replacement follows", async () => {
    const p = await startPool();
    const prepared = p.snapshot().ready[0]!.cluster;
    // No cluster can be created until the lab is ready: it must come from the pool.
    let open!: () => void;
    deps.driverImpl.gate = new Promise((r) => (open = r));
    const { id } = await startLabSession(deps, { userId, scenario: "fake-pack" });
    const s = await readySession(id);
    expect(s.clusterName).toBe(prepared);
    expect(s.variantId).toBe("both");
    expect(attachedLabCluster(id)?.name).toBe(prepared);
    const graded = await checkLab(deps, id, userId);
    expect(graded.results.map((r) => [r.id, r.ok])).toEqual([["image", false], ["replicas", false]]);
    open();
    await p.fill();
    const next = p.snapshot().ready;
    expect(next).toHaveLength(1);
    expect(next[0]!.cluster).not.toBe(prepared);
  });

  it("a start asking for a variant the pool has not prepared starts cold and leaves the prepared lab for another", async () => {
    const p = await startPool();
    const prepared = p.snapshot().ready[0]!.cluster;
    const { id } = await startLabSession(deps, { userId, scenario: "fake-pack", variant: "image" });
    const s = await readySession(id);
    expect(s.variantId).toBe("image");
    expect(s.clusterName).not.toBe(prepared);
    expect(p.snapshot().ready.map((r) => r.cluster)).toEqual([prepared]);
  });

  it("a prepared cluster that died is thrown away when taken: the lab starts cold and the pool prepares another", async () => {
    const p = await startPool();
    const dead = p.snapshot().ready[0]!.cluster;
    fakeCluster(dead).destroyed = true;
    const { id } = await startLabSession(deps, { userId, scenario: "fake-pack", variant: "both" });
    const s = await readySession(id);
    expect(s.clusterName).not.toBe(dead);
    await p.fill();
    expect(p.snapshot().ready.map((r) => r.cluster)).not.toContain(dead);
    expect(p.snapshot().ready).toHaveLength(1);
  });

  it("a pack whose setup fails is not kept: its cluster is destroyed and it is prepared again after a back-off", async () => {
    let setups = 0;
    const flaky: ScenarioPack = {
      ...fakePack,
      async setup() {
        if (++setups === 1) throw new Error("setup exploded");
      },
    };
    const p = await startPool({ packs: [flaky] });
    await waitUntil("a second preparation", () => p.snapshot().ready.length === 1);
    expect(setups).toBe(2);
    const clusters = [...deps.driverImpl.clusters.values()];
    expect(clusters).toHaveLength(2);
    expect(clusters[0]!.destroyed).toBe(true);
    expect(p.snapshot().ready[0]!.cluster).toBe(clusters[1]!.name);
  });

  it("a prepared lab that grew old is replaced at the next sweep, and is not handed out meanwhile", async () => {
    let now = 1_000_000;
    const p = await startPool({ now: () => now, maxIdleMs: 60_000 });
    const old = p.snapshot().ready[0]!.cluster;
    now += 61_000;
    expect(p.readyVariant("sim", "fake-pack")).toBeUndefined();
    await p.sweep();
    await p.fill();
    expect(fakeCluster(old).destroyed).toBe(true);
    expect(p.snapshot().ready).toHaveLength(1);
    expect(p.snapshot().ready[0]!.cluster).not.toBe(old);
  });

  it("drain gives every prepared cluster back and prepares no more", async () => {
    const p = await startPool();
    const prepared = p.snapshot().ready[0]!.cluster;
    await p.drain();
    expect(fakeCluster(prepared).destroyed).toBe(true);
    await p.fill();
    expect(p.snapshot().ready).toEqual([]);
    expect(await p.take("sim", "fake-pack", "both")).toBeNull();
    expect(JSON.parse(fs.readFileSync(path.join(dir, "lab-pool.json"), "utf8"))).toEqual({ clusters: [] });
  });

  it("start collects the clusters a previous run left behind, except one a live lab took", async () => {
    const left = await deps.driverImpl.create({ name: "bf-left-behind", workers: 1 });
    const taken = await deps.driverImpl.create({ name: "bf-taken-by-lab", workers: 1 });
    await deps.db.labSession.create({
      data: { userId, scenarioId: "fake-pack", variantId: "both", driver: "sim", state: "ready", clusterName: taken.name, startedAt: new Date(), lastActivityAt: new Date() },
    });
    fs.writeFileSync(
      path.join(dir, "lab-pool.json"),
      JSON.stringify({ clusters: [left.name, taken.name].map((name) => ({ name, scenarioId: "fake-pack", variantId: "both" })) }),
    );
    await startPool({ size: 0 });
    expect(fakeCluster(left.name).destroyed).toBe(true);
    expect(fakeCluster(taken.name).destroyed).toBe(false);
  });

  it("holds the clusters it prepared and has just handed out, so a driver's garbage collection leaves them alone", async () => {
    const p = await startPool({ handoverGraceMs: 60_000 });
    const prepared = p.snapshot().ready[0]!.cluster;
    expect(p.holds(prepared)).toBe(true);
    expect(p.holds("bf-someone-else")).toBe(false);
    const warm = await p.take("sim", "fake-pack", "both");
    expect(warm?.cluster.name).toBe(prepared);
    expect(p.holds(prepared)).toBe(true);
  });

  it("Reset of a lab from the pool throws its cluster away and gives the lab a new one with the same variant", async () => {
    await startPool();
    const { id } = await startLabSession(deps, { userId, scenario: "fake-pack" });
    const first = (await readySession(id)).clusterName!;
    await resetLab(deps, id, userId);
    const s = await readySession(id);
    expect(s.variantId).toBe("both");
    expect(s.clusterName).not.toBe(first);
    expect(fakeCluster(first).destroyed).toBe(true);
    expect(fakeCluster(s.clusterName!).world).toEqual({ imageOk: false, replicasOk: false });
  });
});
