import { randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Cluster, ClusterDriver, DriverName } from "@/lib/cluster/types";
import { logger as rootLogger, type Logger } from "@/lib/logger";
import type { ScenarioPack } from "@/lib/scenarios/define-scenario";
import type { LabDeps } from "./lab-deps";
import { clusterNameFor } from "./provision-lab";
import { releaseLabCluster } from "./release-lab-cluster";
import { waitForFault } from "./wait-for-fault";

/** A lab prepared ahead: cluster created, the pack's setup done, one variant injected and showing. */
export interface WarmLab {
  cluster: Cluster;
  /** The admin kubeconfig captured while preparing it; the lab's checks trust this one. */
  kubeconfig: string;
  scenarioId: string;
  variantId: string;
  /** Epoch ms when it became ready. */
  readyAt: number;
}

type PoolDeps = Pick<LabDeps, "createContext" | "findScenario" | "pickVariant" | "provisionTimeoutMs">;

export interface WarmLabPoolOptions {
  deps: PoolDeps;
  driver: ClusterDriver;
  packs: ScenarioPack[];
  /** Prepared labs kept per pack. */
  size: number;
  /** Names of the clusters this pool made and may still hold, so the next start can collect them. */
  stateFile: string;
  /** A prepared lab older than this is replaced: its pods' ages and restart counts would give it away (default 30 min). */
  maxIdleMs?: number;
  /** How often idle labs are looked at for death and age (default 30 s). */
  sweepMs?: number;
  /** First back-off after a pack failed to prepare; doubles up to 16× (default 30 s). */
  retryDelayMs?: number;
  /** How long a handed-out cluster stays protected while the lab records it (default 60 s). */
  handoverGraceMs?: number;
  /** Overrides every pack's settle time (tests). */
  settleMs?: number;
  log?: Logger;
  now?: () => number;
}

const stateSchema = z.object({
  clusters: z.array(z.object({ name: z.string().min(1), scenarioId: z.string(), variantId: z.string() })),
});
type Held = z.infer<typeof stateSchema>["clusters"][number];

function readState(file: string): Held[] {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
    return parsed.success ? parsed.data.clusters : [];
  } catch {
    return [];
  }
}

/**
 * Labs prepared ahead, `size` per pack, so that Start is ready at once. Each is prepared exactly as
 * a cold lab is (create → setup → inject a randomly chosen variant → wait until its fault shows),
 * one at a time in the background (a cluster is CPU-heavy to prepare). take() hands one out and
 * starts its replacement; one that died or grew old is thrown away and replaced.
 */
export class WarmLabPool {
  private readonly idle: WarmLab[] = [];
  private readonly warming = new Map<string, Held>();
  private readonly handedOut = new Map<string, Held & { until: number }>();
  private readonly failures = new Map<string, { count: number; retryAt: number }>();
  private readonly stop = new AbortController();
  private filling: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly log: Logger;

  constructor(private readonly opts: WarmLabPoolOptions) {
    this.log = (opts.log ?? rootLogger).child({ component: "lab-pool", driver: opts.driver.name });
  }

  get driverName(): DriverName {
    return this.opts.driver.name;
  }

  /**
   * Collects the clusters a previous run of the pool left behind (a crash skips the drain) unless a
   * lab took them, then starts filling and sweeping.
   */
  async start(isClusterInUse: (name: string) => Promise<boolean>): Promise<void> {
    for (const held of readState(this.opts.stateFile)) {
      const inUse = await isClusterInUse(held.name).catch(() => true);
      if (inUse) continue;
      const cluster = await this.opts.driver.attach(held.name).catch(() => null);
      if (cluster) {
        this.log.info({ cluster: held.name }, "lab pool: collecting a cluster left by a previous run");
        await this.release(cluster, held);
      }
    }
    this.save();
    this.timer = setInterval(() => void this.sweep(), this.opts.sweepMs ?? 30_000);
    this.timer.unref();
    void this.fill();
  }

  /** True for clusters the pool holds, is preparing or has just handed out: garbage collection leaves them alone. */
  holds(name: string): boolean {
    return this.warming.has(name) || this.handedOut.has(name) || this.idle.some((w) => w.cluster.name === name);
  }

  /** A variant that a prepared lab of this pack is ready with (random among them), if any. */
  readyVariant(driverName: DriverName, scenarioId: string): string | undefined {
    if (driverName !== this.driverName) return undefined;
    const ready = this.idle.filter((w) => w.scenarioId === scenarioId && this.fresh(w));
    return ready.length ? ready[randomInt(ready.length)]!.variantId : undefined;
  }

  /** Hands out a live prepared lab of this pack and variant, or null when none is ready. Starts a replacement. */
  async take(driverName: DriverName, scenarioId: string, variantId: string): Promise<WarmLab | null> {
    if (driverName !== this.driverName || this.stop.signal.aborted) return null;
    try {
      for (;;) {
        const i = this.idle.findIndex((w) => w.scenarioId === scenarioId && w.variantId === variantId && this.fresh(w));
        if (i < 0) return null;
        const [warm] = this.idle.splice(i, 1);
        const held = { name: warm!.cluster.name, scenarioId, variantId };
        this.handedOut.set(held.name, { ...held, until: this.now() + (this.opts.handoverGraceMs ?? 60_000) });
        this.save();
        if (await this.alive(warm!.cluster)) {
          this.log.info({ cluster: held.name, scenario: scenarioId, variant: variantId }, "lab pool: handed out a prepared lab");
          return warm!;
        }
        this.handedOut.delete(held.name);
        this.log.warn({ cluster: held.name }, "lab pool: a prepared cluster had died; throwing it away");
        void this.release(warm!.cluster, held);
      }
    } finally {
      void this.fill();
    }
  }

  /** Starts the background loop if a pack is short and none is running. Returns the loop (tests await it). */
  fill(): Promise<void> {
    if (this.stop.signal.aborted) return Promise.resolve();
    this.wake?.();
    this.filling ??= this.loop().finally(() => {
      this.filling = null;
    });
    return this.filling;
  }

  /** Stops preparing and gives every idle cluster back. A preparation that does not stop in time is collected at the next start. */
  async drain(): Promise<void> {
    this.stop.abort(new Error("the lab pool stopped"));
    this.wake?.();
    if (this.timer) clearInterval(this.timer);
    const idle = this.idle.splice(0);
    await Promise.all([
      ...idle.map((w) => this.release(w.cluster, { name: w.cluster.name, scenarioId: w.scenarioId, variantId: w.variantId })),
      this.filling?.catch(() => undefined),
    ]);
    this.save();
  }

  /** What is ready per pack, for logs and the bench. */
  snapshot(): { ready: { scenarioId: string; variantId: string; cluster: string }[]; warming: string[] } {
    return {
      ready: this.idle.map((w) => ({ scenarioId: w.scenarioId, variantId: w.variantId, cluster: w.cluster.name })),
      warming: [...this.warming.keys()],
    };
  }

  /** Throws away idle labs that died or grew old, forgets old hand-overs, and refills. */
  async sweep(): Promise<void> {
    for (const w of [...this.idle]) {
      const stale = !this.fresh(w);
      if (!stale && (await this.alive(w.cluster))) continue;
      const i = this.idle.indexOf(w);
      if (i < 0) continue; // taken meanwhile
      this.idle.splice(i, 1);
      this.log.info({ cluster: w.cluster.name, stale }, `lab pool: replacing a prepared lab (${stale ? "too old" : "its cluster died"})`);
      await this.release(w.cluster, { name: w.cluster.name, scenarioId: w.scenarioId, variantId: w.variantId });
    }
    const now = this.now();
    for (const [name, h] of this.handedOut) if (h.until <= now) this.handedOut.delete(name);
    this.save();
    void this.fill();
  }

  private async loop(): Promise<void> {
    const base = this.opts.retryDelayMs ?? 30_000;
    while (!this.stop.signal.aborted) {
      const now = this.now();
      const short = this.opts.packs.filter((p) => this.countOf(p.id) < this.opts.size);
      const due = short.filter((p) => (this.failures.get(p.id)?.retryAt ?? 0) <= now);
      if (due.length === 0) {
        if (short.length === 0) return;
        const next = Math.min(...short.map((p) => this.failures.get(p.id)!.retryAt));
        await this.sleep(next - now);
        continue;
      }
      // The pack with the fewest prepared labs first, so every pack gets one before any gets two.
      const pack = due.reduce((a, b) => (this.countOf(b.id) < this.countOf(a.id) ? b : a));
      try {
        await this.prepare(pack);
        this.failures.delete(pack.id);
      } catch (err) {
        if (this.stop.signal.aborted) return;
        const count = (this.failures.get(pack.id)?.count ?? 0) + 1;
        const delay = base * 2 ** Math.min(count - 1, 4);
        this.failures.set(pack.id, { count, retryAt: this.now() + delay });
        this.log.error({ err, scenario: pack.id }, `lab pool: preparing ${pack.id} failed; trying again in ${Math.round(delay / 1000)} s`);
      }
    }
  }

  private async prepare(pack: ScenarioPack): Promise<void> {
    const { deps, driver } = this.opts;
    const variant = deps.pickVariant(pack.variants);
    const held: Held = { name: clusterNameFor(randomBytes(8).toString("hex")), scenarioId: pack.id, variantId: variant.id };
    const log = this.log.child({ cluster: held.name, scenario: pack.id, variant: variant.id });
    const signal = AbortSignal.any([this.stop.signal, AbortSignal.timeout(deps.provisionTimeoutMs)]);
    this.warming.set(held.name, held);
    this.save();
    const t0 = this.now();
    let cluster: Cluster | undefined;
    try {
      cluster = await driver.create({ name: held.name, workers: pack.cluster.workers, signal });
      if (pack.images?.length && cluster.preloadImages) {
        const report = await cluster.preloadImages(pack.images, { signal });
        for (const m of report.missing) log.warn({ image: m.image }, `image not preloaded: ${m.reason}`);
      }
      const ctx = await deps.createContext(cluster, { signal, log: (m) => log.debug(m) });
      let kubeconfig: string;
      try {
        await pack.setup(ctx);
        signal.throwIfAborted();
        await pack.inject(ctx, variant);
        signal.throwIfAborted();
        const fault = await waitForFault(pack, variant, ctx, { signal, settleMs: this.opts.settleMs });
        signal.throwIfAborted();
        // Same rule as a cold lab: after the settle time the lab is handed out anyway, and the log says why.
        if (!fault.shown) log.warn({ detail: fault.detail }, "lab pool: the fault did not show within the settle time");
        kubeconfig = ctx.kubeconfig;
      } finally {
        ctx.dispose();
      }
      this.idle.push({ cluster, kubeconfig, scenarioId: pack.id, variantId: variant.id, readyAt: this.now() });
      log.info({ ms: this.now() - t0 }, `lab pool: ${pack.id} is prepared (${this.countOf(pack.id)}/${this.opts.size})`);
    } catch (err) {
      if (cluster) await this.release(cluster, held);
      throw err;
    } finally {
      this.warming.delete(held.name);
      this.save();
    }
  }

  private countOf(scenarioId: string): number {
    let n = this.idle.filter((w) => w.scenarioId === scenarioId).length;
    for (const h of this.warming.values()) if (h.scenarioId === scenarioId) n++;
    return n;
  }

  private fresh(w: WarmLab): boolean {
    return this.now() - w.readyAt < (this.opts.maxIdleMs ?? 30 * 60_000);
  }

  private async alive(cluster: Cluster): Promise<boolean> {
    return (await this.opts.driver.attach(cluster.name).catch(() => null)) !== null;
  }

  /** Gives a cluster back the way a lab does (a persistent ssh cluster is reset by the pack's solve first). */
  private async release(cluster: Cluster, held: Held): Promise<void> {
    try {
      await releaseLabCluster(this.opts.deps, cluster, { id: `lab-pool:${held.name}`, scenarioId: held.scenarioId, variantId: held.variantId });
    } catch (err) {
      this.log.warn({ err, cluster: held.name }, "lab pool: could not release a cluster");
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
      const t = setTimeout(done, Math.max(0, ms));
      t.unref();
      this.wake = done;
    });
  }

  private save(): void {
    const clusters = [
      ...this.idle.map((w) => ({ name: w.cluster.name, scenarioId: w.scenarioId, variantId: w.variantId })),
      ...this.warming.values(),
      ...[...this.handedOut.values()].map(({ name, scenarioId, variantId }) => ({ name, scenarioId, variantId })),
    ];
    try {
      fs.mkdirSync(path.dirname(this.opts.stateFile), { recursive: true });
      const tmp = `${this.opts.stateFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ clusters }, null, 2));
      fs.renameSync(tmp, this.opts.stateFile);
    } catch (err) {
      this.log.error({ err }, `lab pool: cannot write ${this.opts.stateFile}`);
    }
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }
}
