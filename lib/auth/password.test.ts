import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { ForbiddenError } from "@/lib/errors";
import { BCRYPT_COST, hashPassword, verifyPassword } from "./password";
import { requireRole } from "./require-role";
import { roleAtLeast } from "./roles";

describe("passwords", () => {
  it("hashes with bcrypt at cost 12 and verifies only the same password", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(bcrypt.getRounds(hash)).toBe(BCRYPT_COST);
    expect(BCRYPT_COST).toBe(12);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
  });

  it("refuses passwords too short, and ones longer than the 72 bytes bcrypt reads", async () => {
    await expect(hashPassword("short", 4)).rejects.toThrow("at least 10 characters");
    await expect(hashPassword("é".repeat(37), 4)).rejects.toThrow("at most 72 bytes");
  });

  it("with no hash (no such user) spends bcrypt's time and answers false", async () => {
    await verifyPassword("warm-up", null); // the dummy hash is made once
    const t0 = performance.now();
    expect(await verifyPassword("anything", null)).toBe(false);
    const missing = performance.now() - t0;
    const hash = await hashPassword("a real password");
    const t1 = performance.now();
    await verifyPassword("a wrong password", hash);
    const wrong = performance.now() - t1;
    expect(missing).toBeGreaterThan(wrong / 3);
  });
});

describe("roles", () => {
  it("orders learner < instructor < admin; an unknown role has no rights", () => {
    expect(roleAtLeast("admin", "instructor")).toBe(true);
    expect(roleAtLeast("instructor", "instructor")).toBe(true);
    expect(roleAtLeast("learner", "instructor")).toBe(false);
    expect(roleAtLeast("root", "learner")).toBe(false);
  });

  it("requireRole throws ForbiddenError (403) when the role is missing", () => {
    expect(() => requireRole({ role: "learner" }, "instructor")).toThrow(ForbiddenError);
    expect(() => requireRole({ role: "learner" }, "instructor")).toThrow("This needs the instructor role.");
    expect(() => requireRole({ role: "admin" }, "instructor")).not.toThrow();
  });
});
