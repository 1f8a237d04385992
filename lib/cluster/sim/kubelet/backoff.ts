/**
 * client-go's flowcontrol.Backoff as the kubelet uses it for image pulls and container restarts:
 * 10 s, doubling to 5 min; an entry untouched for 2 × max (10 min) starts over.
 * `inBackOffSince(key, t)` is true while now − t is shorter than the current delay.
 */
export class Backoff {
  private readonly entries = new Map<string, { delay: number; lastUpdate: number }>();
  constructor(
    private readonly now: () => number,
    private readonly initial = 10_000,
    private readonly max = 300_000,
  ) {}

  private live(key: string): { delay: number; lastUpdate: number } | undefined {
    const e = this.entries.get(key);
    if (e && this.now() - e.lastUpdate > 2 * this.max) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Current delay (0 when there is none). */
  get(key: string): number {
    return this.live(key)?.delay ?? 0;
  }

  /** Moves to the next delay: initial the first time, then doubled up to max. */
  next(key: string): number {
    const e = this.live(key);
    const delay = e ? Math.min(e.delay * 2, this.max) : this.initial;
    this.entries.set(key, { delay, lastUpdate: this.now() });
    return delay;
  }

  inBackOffSince(key: string, since: number): boolean {
    const e = this.live(key);
    return Boolean(e && this.now() - since < e.delay);
  }

  /** When the back-off that started at `since` ends. */
  until(key: string, since: number): number {
    return since + this.get(key);
  }

  reset(key?: string): void {
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }
}

/** Go's time.Duration.String() for whole seconds and minutes: "10s", "1m20s", "5m0s". */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h ? `${h}h${m}m${rest}s` : `${m}m${rest}s`;
}
