import { afterAll, describe, expect, it } from "vitest";
import { ForbiddenError } from "@/lib/errors";
import { migratedTestDb } from "@/lib/testing/migrated-test-db";
import { getCurrentUser } from "./current-user";
import { isInstructor, requireInstructor } from "./require-instructor";

const t = migratedTestDb("breakfix-require-instructor-");
afterAll(() => t.cleanup());

describe("requireInstructor", () => {
  it("lets local mode's implicit user in: they are admin, the instructor of their machine", async () => {
    const local = await getCurrentUser(new Request("http://127.0.0.1:3000/"), { config: { mode: "local" }, prisma: t.prisma });
    expect(() => requireInstructor(local)).not.toThrow();
  });

  it("goes by the role: instructor and admin in, learner out (403)", () => {
    expect(isInstructor({ role: "instructor" })).toBe(true);
    expect(isInstructor({ role: "admin" })).toBe(true);
    expect(isInstructor({ role: "learner" })).toBe(false);
    expect(() => requireInstructor({ role: "learner" })).toThrow(ForbiddenError);
    expect(() => requireInstructor({ role: "learner" })).toThrow("This page is for instructors.");
  });
});
