import { z } from "zod";

/** Every role, least to most. Each includes the ones before it: an admin is also an instructor. */
export const ROLES = ["learner", "instructor", "admin"] as const;

export type Role = (typeof ROLES)[number];

export const roleSchema = z.enum(ROLES, { message: `must be one of ${ROLES.join(", ")}` });

/** Whether `role` carries at least the rights of `needed`. An unknown stored role carries none. */
export function roleAtLeast(role: string, needed: Role): boolean {
  const have = (ROLES as readonly string[]).indexOf(role);
  return have >= 0 && have >= ROLES.indexOf(needed);
}
