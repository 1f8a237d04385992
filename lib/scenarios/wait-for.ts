import { TimeoutError } from "@/lib/errors";
import type { WaitOptions } from "./context";

/** Sleeps `ms`, waking early (and rejecting) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Polls `fn` until it returns something other than undefined/false. A throw counts as "not yet"
 * (the cluster may be restarting), and the last one is quoted when the wait gives up, so the
 * error says both what was awaited and what was seen last.
 *
 * @example
 * const ip = await waitFor(async () => (await readPod()).status?.podIP, {
 *   timeoutMs: 60_000, what: "pod lab/web to get an IP",
 * });
 */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false>,
  opts: WaitOptions,
  signal?: AbortSignal,
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 1000;
  let last = "";
  for (;;) {
    if (signal?.aborted) throw signal.reason ?? new Error("aborted");
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
      last = "";
    } catch (err) {
      last = errorText(err);
    }
    if (Date.now() + interval > deadline) {
      throw new TimeoutError(
        `Gave up after ${Math.round(opts.timeoutMs / 1000)} s waiting for ${opts.what}${last ? ` (last error: ${last})` : ""}.`,
      );
    }
    await sleep(interval, signal);
  }
}

/** How long a check waits for any one answer from the cluster before it reports "no answer". */
export const ANSWER_DEADLINE_MS = 2500;

/**
 * Resolves as `work` does, or rejects "timed out" after `ms`: a check must answer within seconds
 * even when the API server accepts connections and then hangs (etcd unreachable). The request
 * itself runs on in the background and its result is dropped.
 *
 * @example
 * const node = await withDeadline(ctx.k8s.core.readNode({ name }), ANSWER_DEADLINE_MS, `reading node ${name}`);
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  // A rejection after the deadline has nobody listening; it must not become an unhandled one.
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
