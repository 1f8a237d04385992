import { describe, expect, it } from "vitest";
import { ForbiddenError } from "@/lib/errors";
import type { CurrentUser } from "./current-user";
import { isInstructor, requireInstructor } from "./require-instructor";

const local = { config: { mode: "local" as const } };
const shared = { config: { mode: "shared" as const } };
const withRole = (role: unknown): CurrentUser => ({ id: "u1", name: "someone", role }) as CurrentUser;

describe("requireInstructor", () => {
  it("lets local mode's implicit user (no role yet) in: they are the instructor of their machine", () => {
    expect(() => requireInstructor({ id: "u1", name: "Local learner" }, local)).not.toThrow();
  });

  it("refuses a user without a role in shared mode with 403", () => {
    expect(() => requireInstructor({ id: "u1", name: "someone" }, shared)).toThrow(ForbiddenError);
  });

  it("goes by the role once users have one: instructor and admin in, learner out, in either mode", () => {
    for (const deps of [local, shared]) {
      expect(isInstructor(withRole("instructor"), deps)).toBe(true);
      expect(isInstructor(withRole("admin"), deps)).toBe(true);
      expect(isInstructor(withRole("learner"), deps)).toBe(false);
    }
  });

  it("treats a role it does not know as no role (falls back to the mode), never as instructor", () => {
    expect(isInstructor(withRole("superuser"), shared)).toBe(false);
    expect(isInstructor(withRole(42), shared)).toBe(false);
  });
});
