/**
 * A controller's work queue: keys are deduplicated and processed after the current store write
 * has finished (store listeners run synchronously inside writes, so reconciling there would
 * re-enter the store). A failing reconcile is retried after a second, as client-go's rate-limited
 * queue would.
 */
import type { SimClock } from "../clock";
import { logger } from "@/lib/logger";

export interface WorkQueue {
  add(key: string): void;
  addAfter(key: string, ms: number): void;
  stop(): void;
}

export function createWorkQueue(clock: SimClock, name: string, reconcile: (key: string) => void): WorkQueue {
  const pending = new Set<string>();
  const timers = new Map<string, { due: number; cancel: () => void }>();
  let scheduled = false;
  let stopped = false;

  function run(): void {
    scheduled = false;
    if (stopped) return;
    const keys = [...pending];
    pending.clear();
    for (const k of keys) {
      try {
        reconcile(k);
      } catch (err) {
        logger.warn({ err, controller: name, key: k }, "sim controller reconcile failed; retrying");
        addAfter(k, 1000);
      }
    }
  }

  function add(key: string): void {
    if (stopped) return;
    pending.add(key);
    if (!scheduled) {
      scheduled = true;
      clock.after(0, run);
    }
  }

  /** Delayed add; one timer per key, the earliest wins. */
  function addAfter(key: string, ms: number): void {
    if (stopped) return;
    const due = clock.now().getTime() + ms;
    const cur = timers.get(key);
    if (cur && cur.due <= due) return;
    cur?.cancel();
    const cancel = clock.after(ms, () => {
      timers.delete(key);
      add(key);
    });
    timers.set(key, { due, cancel });
  }

  return {
    add,
    addAfter,
    stop() {
      stopped = true;
      for (const t of timers.values()) t.cancel();
      timers.clear();
    },
  };
}

export function nsKey(ns: string | undefined, name: string | undefined): string {
  return `${ns ?? ""}/${name ?? ""}`;
}

export function splitKey(key: string): [string, string] {
  const i = key.indexOf("/");
  return [key.slice(0, i), key.slice(i + 1)];
}
