/** Runs jobs with at most `limit` at once, in the order they were added. */
export interface TaskQueue {
  run<T>(job: () => Promise<T>): Promise<T>;
  readonly limit: number;
  /** Jobs running now (for tests and the status line). */
  active(): number;
  /** Jobs held back until a running one finishes. */
  waiting(): number;
}

/**
 * A bounded queue for preparing exam tasks' clusters: a kind cluster costs a CPU core and a
 * gigabyte for a minute, so an exam with ten tasks must not create ten at once.
 */
export function createTaskQueue(limit: number): TaskQueue {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return {
    limit,
    active: () => running,
    waiting: () => waiting.length,
    async run<T>(job: () => Promise<T>): Promise<T> {
      if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      running++;
      try {
        return await job();
      } finally {
        release();
      }
    },
  };
}
