/**
 * Every timer in a sim cluster goes through its clock. `timeScale` > 1 makes back-offs, grace
 * periods and probe intervals pass faster (tests, self-tests); 1 is real time (labs).
 * Timestamps shown to users always come from `now()`, so ages stay consistent with the scale.
 */
export class SimClock {
  /**
   * @param timeScale how many simulated milliseconds pass per real one.
   * @param start the real time (ms) at which simulated and real time agree; kept in state.json so
   *   clients (grading) can compute the same simulated time.
   */
  constructor(
    readonly timeScale = 1,
    readonly start = Date.now(),
  ) {}

  /** Simulated current time. */
  now(): Date {
    if (this.timeScale === 1) return new Date();
    return new Date(this.start + (Date.now() - this.start) * this.timeScale);
  }

  /** Runs fn after `ms` of simulated time. Returns a cancel function. */
  after(ms: number, fn: () => void): () => void {
    const t = setTimeout(fn, Math.max(0, ms / this.timeScale));
    t.unref?.();
    return () => clearTimeout(t);
  }

  /** Runs fn every `ms` of simulated time. Returns a cancel function. */
  every(ms: number, fn: () => void): () => void {
    const t = setInterval(fn, Math.max(1, ms / this.timeScale));
    t.unref?.();
    return () => clearInterval(t);
  }
}
