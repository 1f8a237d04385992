import { PerLabRegistry } from "./per-lab-registry";
import type { Cluster } from "@/lib/cluster/types";
import { logger } from "@/lib/logger";
import { TimelineFeed } from "@/lib/timeline/timeline-feed";
import type { TimelineRow } from "@/lib/timeline/timeline-row";
import type { ClusterChange } from "./cluster-watch";

export interface LabTimelineOptions {
  /** The node access the driver gives (every driver has it; a failing node is skipped, not fatal). */
  cluster: Pick<Cluster, "nodes" | "exec">;
  /** Observes the lab's one cluster watch (observeClusterWatch bound to the lab); returns the unsubscribe. */
  observe: (fn: (c: ClusterChange) => void, onStopped: () => void) => () => void;
  /** How often each node's kubelet and containerd journal is read. */
  pollMs?: number;
  /** Rows kept. */
  capacity?: number;
  now?: () => Date;
}

/** How far back a journal read reaches past the previous read's start, so a line written during a read is not lost. */
const OVERLAP_MS = 2000;
const EXEC_TIMEOUT_MS = 10_000;
/** A node whose journal cannot be read is tried again this much later (a node that is down, ssh that refused). */
const NODE_RETRY_MS = 15_000;

/**
 * The live timeline of one lab: the cluster watch's raw changes and, from every node, the
 * kubelet's and containerd's journal (`journalctl --since=@<epoch>`, polled through the driver's
 * exec), fed into one TimelineFeed. The watch is the lab's shared one (cluster-watch.ts); this adds
 * only the journal polling.
 */
export class LabTimeline {
  readonly feed: TimelineFeed;
  private readonly stopper = new AbortController();
  private readonly o: Required<Omit<LabTimelineOptions, "capacity">>;
  private offWatch: (() => void) | undefined;

  constructor(opts: LabTimelineOptions) {
    this.o = { pollMs: 3000, now: () => new Date(), ...opts };
    this.feed = new TimelineFeed({ capacity: opts.capacity ?? 500, now: this.o.now });
  }

  start(): void {
    this.offWatch = this.o.observe(
      (c) => (c.kind === "list" ? this.feed.list(c.resource, c.items) : this.feed.watch(c.resource, c.type, c.object)),
      () => this.stop(),
    );
    void this.pollNodes();
  }

  get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  stop(): void {
    if (this.stopper.signal.aborted) return;
    this.stopper.abort();
    this.offWatch?.();
  }

  /** Calls fn once the timeline stops (the lab's watch stopped: lab ended or reset). */
  onStopped(fn: () => void): () => void {
    const s = this.stopper.signal;
    if (s.aborted) {
      fn();
      return () => undefined;
    }
    s.addEventListener("abort", fn, { once: true });
    return () => s.removeEventListener("abort", fn);
  }

  private async pollNodes(): Promise<void> {
    const signal = this.stopper.signal;
    let names: string[] = [];
    while (!signal.aborted && !names.length) {
      try {
        names = (await this.o.cluster.nodes()).map((n) => n.name);
      } catch (err) {
        logger.debug({ err }, "lab timeline: cannot list the cluster's nodes yet");
        await sleep(NODE_RETRY_MS, signal);
      }
    }
    await Promise.all(names.map((n) => this.pollNode(n, signal)));
  }

  private async pollNode(node: string, signal: AbortSignal): Promise<void> {
    let since = this.o.now().getTime() - 10_000;
    let previous = new Set<string>();
    while (!signal.aborted) {
      const started = this.o.now().getTime();
      try {
        // --since=@epoch is exact and time-zone free on a real node; both units in one merged, time-ordered read.
        const r = await this.o.cluster.exec(node, ["journalctl", "-u", "kubelet", "-u", "containerd", "--no-pager", `--since=@${Math.floor(since / 1000)}`], {
          timeoutMs: EXEC_TIMEOUT_MS,
          signal,
        });
        if (r.code !== 0) throw new Error(`journalctl exited ${r.code}: ${r.stderr.trim().slice(0, 200)}`);
        const lines = r.stdout.split("\n").filter((l) => l && !l.startsWith("-- "));
        this.feed.logLines(node, lines.filter((l) => !previous.has(l)));
        previous = new Set(lines);
        since = started - OVERLAP_MS;
        await sleep(this.o.pollMs, signal);
      } catch (err) {
        if (signal.aborted) return;
        logger.debug({ err, node }, "lab timeline: cannot read the node's journal");
        await sleep(NODE_RETRY_MS, signal);
      }
    }
  }
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

const timelines = new PerLabRegistry<LabTimeline>("lab-timelines", (t) => t.stop(), (t) => t.stopped);

/**
 * The one timeline per lab, shared by every open page. `fn` gets each batch of new rows; the
 * return value has the rows kept so far and the unsubscribe. The timeline outlives its last
 * subscriber by `graceMs`, so a reload keeps its history.
 */
export function subscribeLabTimeline(
  labSessionId: string,
  create: () => LabTimeline,
  fn: (rows: TimelineRow[]) => void,
  onStopped: () => void,
  graceMs = 30_000,
): { rows: TimelineRow[]; off: () => void } {
  const { value: timeline, release } = timelines.acquire(
    labSessionId,
    () => {
      const t = create();
      t.start();
      return t;
    },
    graceMs,
  );
  const rows = timeline.feed.rows();
  const offRows = timeline.feed.subscribe(fn);
  const offStopped = timeline.onStopped(onStopped);
  return {
    rows,
    off: () => {
      offRows();
      offStopped();
      release();
    },
  };
}
