import { processSingleton } from "@/lib/process-singleton";

interface Entry<T> {
  value: T;
  users: number;
  stopTimer?: NodeJS.Timeout;
}

/**
 * One shared thing per lab (its cluster watch, its timeline): made by the first user, shared by
 * the rest, and kept `graceMs` after the last one leaves, so a page reload finds it still running.
 * The map is a process singleton, so server.ts's and Next's module graphs share it.
 */
export class PerLabRegistry<T> {
  constructor(
    private readonly name: string,
    private readonly stopValue: (value: T) => void,
    /** A value that stopped on its own (its watch ended) is replaced by the next acquire. */
    private readonly isStopped: (value: T) => boolean = () => false,
  ) {}

  private map(): Map<string, Entry<T>> {
    return processSingleton<Map<string, Entry<T>>>(this.name, () => new Map());
  }

  /** The lab's value (made with `create` when there is none), and the release of this use. */
  acquire(labSessionId: string, create: () => T, graceMs: number): { value: T; release: () => void } {
    const map = this.map();
    let found = map.get(labSessionId);
    if (!found || this.isStopped(found.value)) {
      found = { value: create(), users: 0 };
      map.set(labSessionId, found);
    }
    const entry = found;
    clearTimeout(entry.stopTimer);
    entry.stopTimer = undefined;
    entry.users++;
    let released = false;
    return {
      value: entry.value,
      release: () => {
        if (released) return;
        released = true;
        if (--entry.users > 0 || map.get(labSessionId) !== entry) return;
        entry.stopTimer = setTimeout(() => {
          if (map.get(labSessionId) === entry) this.stop(labSessionId);
          else this.stopValue(entry.value);
        }, graceMs);
        entry.stopTimer.unref();
      },
    };
  }

  /** Stops the lab's value now (the lab ended or its cluster was replaced). */
  stop(labSessionId: string): void {
    const map = this.map();
    const e = map.get(labSessionId);
    if (!e) return;
    clearTimeout(e.stopTimer);
    this.stopValue(e.value);
    map.delete(labSessionId);
  }
}
