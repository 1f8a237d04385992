import { z } from "zod";

export const ASSIGNMENT_KINDS = ["pack", "exam"] as const;
export type AssignmentKind = (typeof ASSIGNMENT_KINDS)[number];

/** How a learner's several attempts make one result: their best one, or the last one they finished. */
export const SCORINGS = ["best", "last"] as const;
export type Scoring = (typeof SCORINGS)[number];

/** An assignment as an instructor submits it (the class page's form, or the API). */
export const assignmentInputSchema = z
  .object({
    kind: z.enum(ASSIGNMENT_KINDS),
    target: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, "a pack or exam slug"),
    /** ISO 8601 with a zone, e.g. 2026-12-10T17:00:00Z; absent = no due date. */
    dueAt: z.iso.datetime({ offset: true }).optional(),
    maxAttempts: z.number().int().min(1).max(50).optional(),
    scoring: z.enum(SCORINGS).default("best"),
  })
  .strict();
export type AssignmentInput = z.input<typeof assignmentInputSchema>;
