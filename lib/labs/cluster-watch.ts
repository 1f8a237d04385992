import { PerLabRegistry } from "./per-lab-registry";
import { CoreV1Api, DiscoveryV1Api, KubeConfig, Watch, type CoreV1Event, type V1Node, type V1Pod } from "@kubernetes/client-node";
import { z } from "zod";
import { logger } from "@/lib/logger";
import { describeUnreachable, eventRow, latestEvents, nodeRow, podRow, sortPods, type EventRow, type NodeRow, type PodRow } from "./cluster-view";

/** What the live cluster panel receives; plain data. */
export interface ClusterSnapshot {
  /** connecting: first contact; live: watches running; unreachable: the API server cannot be reached (data is the last known). */
  api: "connecting" | "live" | "unreachable";
  message?: string;
  /** When unreachable: the next attempt is in this many ms. */
  retryInMs?: number;
  /** ISO time of the last successful contact. */
  lastContact?: string;
  nodes: NodeRow[];
  pods: PodRow[];
  events: EventRow[];
}

export interface ClusterWatchOptions {
  kubeconfig: () => Promise<string>;
  /** How often the API server's liveness is probed while watches are open. */
  probeIntervalMs?: number;
  requestTimeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Coalesces bursts of watch events into one update. */
  emitDelayMs?: number;
}

/** The resources the watch follows; EndpointSlices only while someone observes raw changes (the timeline). */
export type WatchedResource = "nodes" | "pods" | "events" | "endpointslices";

/** A raw change as the API server sent it, for observers that need whole objects (the timeline). */
export type ClusterChange =
  | { kind: "list"; resource: WatchedResource; items: unknown[] }
  | { kind: "watch"; resource: WatchedResource; type: string; object: unknown };

const objectSchema = z.looseObject({ metadata: z.looseObject({ name: z.string() }) });

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * List-then-watch of nodes, pods and events on one lab cluster, with a liveness probe. When the
 * API server goes away (several scenarios take it down on purpose) the panel is told so, with
 * the reason, and the watch retries with back-off instead of spinning.
 */
export class ClusterWatch {
  private readonly nodes = new Map<string, NodeRow>();
  private readonly pods = new Map<string, PodRow>();
  private readonly events = new Map<string, EventRow>();
  private state: Pick<ClusterSnapshot, "api" | "message" | "retryInMs" | "lastContact"> = { api: "connecting" };
  private readonly listeners = new Set<(s: ClusterSnapshot) => void>();
  private readonly observers = new Set<(c: ClusterChange) => void>();
  private round: AbortController | undefined;
  private readonly stopper = new AbortController();
  private emitTimer: NodeJS.Timeout | undefined;
  private started = false;
  private readonly o: Required<Omit<ClusterWatchOptions, "kubeconfig">> & Pick<ClusterWatchOptions, "kubeconfig">;

  constructor(opts: ClusterWatchOptions) {
    this.o = {
      probeIntervalMs: 4000,
      requestTimeoutMs: 5000,
      minBackoffMs: 1000,
      maxBackoffMs: 15_000,
      emitDelayMs: 150,
      ...opts,
    };
  }

  snapshot(): ClusterSnapshot {
    return {
      ...this.state,
      nodes: [...this.nodes.values()].sort((a, b) => a.name.localeCompare(b.name)),
      pods: sortPods(this.pods.values()),
      events: latestEvents(this.events.values()),
    };
  }

  /** Calls fn now and on every change; returns the unsubscribe function. Starts the watch on first use. */
  subscribe(fn: (s: ClusterSnapshot) => void): () => void {
    this.listeners.add(fn);
    fn(this.snapshot());
    if (!this.started) {
      this.started = true;
      void this.run();
    }
    return () => this.listeners.delete(fn);
  }

  /**
   * Calls fn with every list and watch event, objects whole. A new observer has missed the lists
   * already made, so the watch lists again (cheap, and the panel does not notice); that also
   * starts the EndpointSlice watch, which runs only while someone observes.
   */
  observe(fn: (c: ClusterChange) => void): () => void {
    this.observers.add(fn);
    if (!this.started) {
      this.started = true;
      void this.run();
    } else this.round?.abort();
    return () => this.observers.delete(fn);
  }

  get subscribers(): number {
    return this.listeners.size + this.observers.size;
  }

  private tell(c: ClusterChange): void {
    for (const fn of this.observers) {
      try {
        fn(c);
      } catch (err) {
        logger.warn({ err, resource: c.resource }, "lab cluster watch: an observer failed");
      }
    }
  }

  stop(): void {
    this.stopper.abort();
    clearTimeout(this.emitTimer);
    this.listeners.clear();
    this.observers.clear();
  }

  /** Calls fn once the watch is stopped (lab ended or reset), so streams can close. */
  onStopped(fn: () => void): () => void {
    const s = this.stopper.signal;
    if (s.aborted) {
      fn();
      return () => undefined;
    }
    s.addEventListener("abort", fn, { once: true });
    return () => s.removeEventListener("abort", fn);
  }

  private emitSoon(): void {
    if (this.emitTimer) return;
    this.emitTimer = setTimeout(() => {
      this.emitTimer = undefined;
      this.emitNow();
    }, this.o.emitDelayMs);
  }

  private emitNow(): void {
    const s = this.snapshot();
    for (const fn of this.listeners) fn(s);
  }

  private async run(): Promise<void> {
    let backoff = this.o.minBackoffMs;
    while (!this.stopper.signal.aborted) {
      const round = new AbortController();
      this.round = round;
      const signal = AbortSignal.any([round.signal, this.stopper.signal]);
      try {
        const kc = new KubeConfig();
        kc.loadFromString(await this.o.kubeconfig());
        const core = kc.makeApiClient(CoreV1Api);
        const wantSlices = this.observers.size > 0;
        const [nodes, pods, events, slices] = await withTimeout(
          Promise.all([
            core.listNode(),
            core.listPodForAllNamespaces(),
            core.listEventForAllNamespaces(),
            // The panel must not go dark because of the timeline's extra resource: without it the timeline just has no endpoint rows.
            wantSlices ? kc.makeApiClient(DiscoveryV1Api).listEndpointSliceForAllNamespaces().catch(() => undefined) : undefined,
          ]),
          this.o.requestTimeoutMs,
          "the API server to list nodes, pods and events",
        );
        this.tell({ kind: "list", resource: "nodes", items: nodes.items });
        this.tell({ kind: "list", resource: "pods", items: pods.items });
        this.tell({ kind: "list", resource: "events", items: events.items });
        if (slices) this.tell({ kind: "list", resource: "endpointslices", items: slices.items });
        this.replace(this.nodes, nodes.items, (n: V1Node) => n.metadata?.name ?? "", nodeRow);
        this.replace(this.pods, pods.items, (p: V1Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`, podRow);
        this.replace(this.events, events.items, (e: CoreV1Event) => eventRow(e).key, eventRow);
        this.state = { api: "live", lastContact: new Date().toISOString() };
        this.emitNow();
        backoff = this.o.minBackoffMs;
        const ended = await this.watchAll(kc, core, {
          nodes: nodes.metadata?.resourceVersion,
          pods: pods.metadata?.resourceVersion,
          events: events.metadata?.resourceVersion,
          endpointslices: slices?.metadata?.resourceVersion,
        }, signal, Boolean(slices));
        if (ended) throw ended;
        // A watch closed normally (server-side timeout, 410 Gone): list again, without hammering.
        await sleep(250, this.stopper.signal);
      } catch (err) {
        if (this.stopper.signal.aborted) break;
        const message = describeUnreachable(err);
        if (this.state.api !== "unreachable" || this.state.message !== message) logger.debug({ err }, "lab cluster watch: API server unreachable");
        this.state = { api: "unreachable", message, retryInMs: backoff, lastContact: this.state.lastContact };
        this.emitNow();
        await sleep(backoff, this.stopper.signal);
        backoff = Math.min(backoff * 2, this.o.maxBackoffMs);
      } finally {
        round.abort();
      }
    }
  }

  private replace<T, R>(map: Map<string, R>, items: T[], key: (t: T) => string, row: (t: T) => R): void {
    map.clear();
    for (const it of items) map.set(key(it), row(it));
  }

  /** Resolves when a watch ends: with the error that ended it, or undefined for a normal close. */
  private watchAll(
    kc: KubeConfig,
    core: CoreV1Api,
    rv: { nodes?: string; pods?: string; events?: string; endpointslices?: string },
    signal: AbortSignal,
    watchSlices: boolean,
  ): Promise<unknown> {
    return new Promise<unknown>((resolve) => {
      // Aborted while listing (a new observer asked for a fresh list): list again at once.
      if (signal.aborted) return resolve(undefined);
      const controllers: AbortController[] = [];
      let finished = false;
      const finish = (err: unknown) => {
        if (finished) return;
        finished = true;
        clearInterval(probe);
        signal.removeEventListener("abort", onAbort);
        for (const c of controllers) c.abort();
        resolve(err);
      };
      const onAbort = () => finish(undefined);
      signal.addEventListener("abort", onAbort, { once: true });
      const watch = new Watch(kc);
      const start = <T>(resource: WatchedResource, path: string, resourceVersion: string | undefined, apply: (type: string, obj: T) => void) => {
        watch
          .watch(
            path,
            { resourceVersion, allowWatchBookmarks: true },
            (type: string, obj: unknown) => {
              if (type === "BOOKMARK") return;
              if (type === "ERROR") return finish(undefined); // e.g. 410 Gone: relist
              if (!objectSchema.safeParse(obj).success) return;
              this.tell({ kind: "watch", resource, type, object: obj });
              apply(type, obj as T);
              this.emitSoon();
            },
            (err: unknown) => finish(err ?? undefined),
          )
          .then(
            (c) => (finished ? c.abort() : controllers.push(c)),
            (err: unknown) => finish(err),
          );
      };
      start<V1Node>("nodes", "/api/v1/nodes", rv.nodes, (type, n) => this.upsert(this.nodes, type, n.metadata?.name ?? "", () => nodeRow(n)));
      start<V1Pod>("pods", "/api/v1/pods", rv.pods, (type, p) =>
        this.upsert(this.pods, type, `${p.metadata?.namespace}/${p.metadata?.name}`, () => podRow(p)),
      );
      start<CoreV1Event>("events", "/api/v1/events", rv.events, (type, e) => {
        const r = eventRow(e);
        this.upsert(this.events, type, r.key, () => r);
      });
      if (watchSlices) start("endpointslices", "/apis/discovery.k8s.io/v1/endpointslices", rv.endpointslices, () => undefined);
      // A stopped API server does not always close open watches; a cheap request notices.
      const probe = setInterval(() => {
        withTimeout(core.listNode({ limit: 1 }), this.o.requestTimeoutMs, "the API server to answer a liveness probe").then(
          () => {
            this.state = { ...this.state, lastContact: new Date().toISOString() };
          },
          (err: unknown) => finish(err),
        );
      }, this.o.probeIntervalMs);
    });
  }

  private upsert<R>(map: Map<string, R>, type: string, key: string, row: () => R): void {
    if (type === "DELETED") map.delete(key);
    else map.set(key, row());
  }
}

const watches = new PerLabRegistry<ClusterWatch>("lab-cluster-watches", (w) => w.stop());

/**
 * The one watch per lab, shared by every open panel. It outlives its last subscriber by
 * `graceMs` so a page reload does not start from scratch.
 */
export function subscribeClusterWatch(
  labSessionId: string,
  create: () => ClusterWatch,
  fn: (s: ClusterSnapshot) => void,
  onStopped: () => void,
  graceMs = 30_000,
): () => void {
  return acquireClusterWatch(labSessionId, create, (w) => w.subscribe(fn), onStopped, graceMs);
}

/** Like subscribeClusterWatch, for an observer of raw changes (the timeline), on the same one watch per lab. */
export function observeClusterWatch(
  labSessionId: string,
  create: () => ClusterWatch,
  fn: (c: ClusterChange) => void,
  onStopped: () => void,
  graceMs = 30_000,
): () => void {
  return acquireClusterWatch(labSessionId, create, (w) => w.observe(fn), onStopped, graceMs);
}

function acquireClusterWatch(
  labSessionId: string,
  create: () => ClusterWatch,
  attach: (w: ClusterWatch) => () => void,
  onStopped: () => void,
  graceMs: number,
): () => void {
  const { value: watch, release } = watches.acquire(labSessionId, create, graceMs);
  const off = attach(watch);
  const offStopped = watch.onStopped(onStopped);
  return () => {
    off();
    offStopped();
    release();
  };
}

/** Stops a lab's watch now (the lab ended or its cluster was replaced). */
export function stopClusterWatch(labSessionId: string): void {
  watches.stop(labSessionId);
}
