import { describe, expect, it } from "vitest";
import { LimitError } from "@/lib/errors";
import { RateLimiter } from "./rate-limit";

describe("rate limiter", () => {
  it("allows max per window per user and action, then refuses with when to retry", () => {
    let now = 1_000_000;
    const rl = new RateLimiter({ "lab-start": { max: 2, windowMs: 60_000 }, "lab-check": { max: 1, windowMs: 10_000 }, "exam-start": { max: 1, windowMs: 60_000 }, "sign-in": { max: 1, windowMs: 60_000 }, "sign-in-address": { max: 1, windowMs: 60_000 }, "lesson-progress": { max: 1, windowMs: 60_000 } }, () => now);
    rl.take("lab-start", "u1");
    now += 15_000;
    rl.take("lab-start", "u1");
    const err = (() => {
      try {
        rl.take("lab-start", "u1");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LimitError);
    expect((err as LimitError).message).toBe("Too many labs started: at most 2 a minute.");
    expect((err as LimitError).hint).toBe("Try again in 45 s.");
    // Another user and another action have their own budgets.
    rl.take("lab-start", "u2");
    rl.take("lab-check", "u1");
    expect(() => rl.take("lab-check", "u1")).toThrow("Too many checks: at most 1 per 10 s.");
    // The window slides: once the first start is a minute old, one more is allowed.
    now += 45_001;
    rl.take("lab-start", "u1");
    expect(() => rl.take("lab-start", "u1")).toThrow(LimitError);
  });
});
