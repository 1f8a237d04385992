import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Logger } from "@/lib/logger";

/**
 * The warm-pool state file. The server writes it; `npm run cluster -- status` (another process)
 * reads it. Only clusters listed as idle may be handed to a lab: a pool cluster that was once
 * handed out stays out, even after a restart, because it may carry a learner's changes.
 */
const stateSchema = z.object({
  idle: z.array(z.object({ name: z.string(), readyAt: z.string() })),
  creating: z.array(z.object({ name: z.string(), startedAt: z.string(), pid: z.number().int() })),
  lastError: z.object({ at: z.string(), message: z.string() }).nullable(),
});
export type PoolState = z.infer<typeof stateSchema>;

const EMPTY: PoolState = { idle: [], creating: [], lastError: null };

/** Reads the pool file; a missing or damaged file is an empty pool (the clusters are then collected as orphans). */
export function readPoolState(file: string): PoolState {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : EMPTY;
  } catch {
    return EMPTY;
  }
}

function writePoolState(file: string, state: PoolState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2));
  fs.renameSync(tmp, file);
}

export interface WarmPoolDeps {
  /** K: clusters kept ready. 0 means no pool (the driver then never builds one). */
  size: number;
  stateFile: string;
  newName(): string;
  /** Creates a ready cluster; must delete what it left behind when it fails. */
  create(name: string, signal: AbortSignal): Promise<void>;
  isHealthy(name: string): Promise<boolean>;
  destroy(name: string): Promise<void>;
  /** Names of the clusters that exist now (kind get clusters). */
  existing(): Promise<string[]>;
  log: Logger;
  /** First back-off after a failed creation; doubles up to 16× (default 60 s). */
  retryDelayMs?: number;
  now?(): Date;
}

/**
 * K ready clusters, created one at a time in the background (a kind cluster is CPU-heavy to
 * start). take() hands one out and starts its replacement.
 */
export class WarmPool {
  private idle: PoolState["idle"] = [];
  private creating: PoolState["creating"][number] | null = null;
  private lastError: PoolState["lastError"] = null;
  private filling: Promise<void> | null = null;
  private readonly stop = new AbortController();
  private failures = 0;

  constructor(private readonly deps: WarmPoolDeps) {}

  /** Adopts the idle clusters of a previous run that still exist, then starts filling. */
  async start(): Promise<void> {
    const previous = readPoolState(this.deps.stateFile);
    const exist = new Set(await this.deps.existing());
    this.idle = previous.idle.filter((c) => exist.has(c.name));
    const dropped = previous.idle.filter((c) => !exist.has(c.name)).map((c) => c.name);
    if (dropped.length) this.deps.log.info({ dropped }, "warm pool: clusters of a previous run are gone");
    this.save();
    this.fill();
  }

  /** True for clusters the pool holds or is building: garbage collection leaves them alone. */
  owns(name: string): boolean {
    return this.creating?.name === name || this.idle.some((c) => c.name === name);
  }

  /** Hands out a healthy idle cluster (oldest first), or null when none is ready. Starts a replacement. */
  async take(): Promise<string | null> {
    try {
      while (this.idle.length) {
        const { name } = this.idle.shift()!;
        this.save();
        if (await this.deps.isHealthy(name).catch(() => false)) {
          this.deps.log.info({ cluster: name }, `warm pool: handed out ${name}`);
          return name;
        }
        this.deps.log.warn({ cluster: name }, `warm pool: ${name} is not healthy; deleting it`);
        await this.deps.destroy(name).catch((err: unknown) => this.deps.log.error({ err, cluster: name }, "warm pool: delete failed"));
      }
      return null;
    } finally {
      this.fill();
    }
  }

  /** Starts the background loop if the pool is short and none is running. Returns the loop (tests await it). */
  fill(): Promise<void> {
    if (this.stop.signal.aborted) return Promise.resolve();
    this.filling ??= this.loop().finally(() => {
      this.filling = null;
    });
    return this.filling;
  }

  private async loop(): Promise<void> {
    const base = this.deps.retryDelayMs ?? 60_000;
    while (!this.stop.signal.aborted && this.idle.length < this.deps.size) {
      const name = this.deps.newName();
      this.creating = { name, startedAt: this.now().toISOString(), pid: process.pid };
      this.save();
      try {
        await this.deps.create(name, this.stop.signal);
        this.idle.push({ name, readyAt: this.now().toISOString() });
        this.failures = 0;
        this.lastError = null;
        this.deps.log.info({ cluster: name }, `warm pool: ${name} is ready (${this.idle.length}/${this.deps.size})`);
      } catch (err) {
        if (this.stop.signal.aborted) break;
        this.failures++;
        const message = err instanceof Error ? err.message : String(err);
        this.lastError = { at: this.now().toISOString(), message };
        this.deps.log.error({ err, cluster: name }, `warm pool: creating ${name} failed (${message})`);
      } finally {
        this.creating = null;
        this.save();
      }
      if (this.failures) {
        const delay = base * 2 ** Math.min(this.failures - 1, 4);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, delay);
          t.unref?.();
          this.stop.signal.addEventListener("abort", () => {
            clearTimeout(t);
            resolve();
          }, { once: true });
        });
      }
    }
  }

  /** Stops filling; a creation in progress is aborted (and cleans up after itself). */
  async shutdown(): Promise<void> {
    this.stop.abort(new Error("warm pool stopped"));
    await this.filling?.catch(() => {});
  }

  snapshot(): PoolState {
    return { idle: [...this.idle], creating: this.creating ? [this.creating] : [], lastError: this.lastError };
  }

  private save(): void {
    try {
      writePoolState(this.deps.stateFile, this.snapshot());
    } catch (err) {
      this.deps.log.error({ err }, `warm pool: cannot write ${this.deps.stateFile}`);
    }
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

/** Lines for `npm run cluster -- status`, from the state file and the clusters that exist. */
export function describePool(size: number, state: PoolState, existing: string[], isAlive: (pid: number) => boolean): string[] {
  if (size === 0) return ["pool: off (BREAKFIX_KIND_POOL_SIZE=0)"];
  const exist = new Set(existing);
  const ready = state.idle.filter((c) => exist.has(c.name));
  const creating = state.creating.filter((c) => isAlive(c.pid));
  const lines = [
    `pool: ${ready.length}/${size} ready${ready.length ? ` (${ready.map((c) => c.name).join(", ")})` : ""}` +
      (creating.length ? `, creating ${creating.map((c) => `${c.name} since ${c.startedAt}`).join(", ")}` : ""),
  ];
  if (!creating.length && ready.length < size) lines.push("pool: not filling; a running breakfix server with BREAKFIX_DRIVER=kind (or auto) fills it");
  if (state.lastError) lines.push(`pool: last error at ${state.lastError.at}: ${state.lastError.message}`);
  return lines;
}
