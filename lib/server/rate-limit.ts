import { LimitError } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";

/**
 * Per-user limits on the requests that cost the server work: starting a lab (a cluster), checking
 * (a run of every check against the cluster), starting an exam. A sliding window of timestamps per
 * action and user, in this process's memory (one breakfix process serves a class).
 */
export const RATE_LIMITS = {
  "lab-start": { max: 10, windowMs: 60_000 },
  "lab-check": { max: 20, windowMs: 60_000 },
  "exam-start": { max: 5, windowMs: 60_000 },
  // Keyed by client address and email: slows guessing one account's password from one place
  // without letting a stranger lock a learner out from everywhere else.
  "sign-in": { max: 10, windowMs: 60_000 },
  // And by client address alone: trying one password against many emails (spraying) from one place.
  "sign-in-address": { max: 60, windowMs: 60_000 },
  // The lesson page polls every 3 s (20 a minute); twice that leaves room for two open tabs.
  "lesson-progress": { max: 40, windowMs: 60_000 },
} as const;

export type RateLimitedAction = keyof typeof RATE_LIMITS;

const WHAT: Record<RateLimitedAction, string> = {
  "lab-start": "labs started",
  "lab-check": "checks",
  "exam-start": "exams started",
  "sign-in": "sign-in attempts",
  "sign-in-address": "sign-in attempts from this address",
  "lesson-progress": "lesson progress checks",
};

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limits: Record<RateLimitedAction, { max: number; windowMs: number }> = RATE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one `action` by `userId` (or another key, for sign-in); throws LimitError (429) past the limit, saying when to retry. */
  take(action: RateLimitedAction, userId: string): void {
    const { max, windowMs } = this.limits[action];
    const key = `${action}\0${userId}`;
    const t = this.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => at > t - windowMs);
    if (recent.length >= max) {
      this.hits.set(key, recent);
      const wait = Math.max(1, Math.ceil((recent[0]! + windowMs - t) / 1000));
      const per = windowMs === 60_000 ? "a minute" : `per ${windowMs / 1000} s`;
      throw new LimitError(`Too many ${WHAT[action]}: at most ${max} ${per}.`, { hint: `Try again in ${wait} s.` });
    }
    recent.push(t);
    this.hits.set(key, recent);
    // Keys of users who went quiet are dropped as the map grows, so memory stays bounded.
    if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (!v.some((at) => at > t - windowMs)) this.hits.delete(k);
  }
}

/** The process's limiter (shared by Next's route bundle and server.ts). */
export const rateLimiter = (): RateLimiter => processSingleton("rate-limiter", () => new RateLimiter());
