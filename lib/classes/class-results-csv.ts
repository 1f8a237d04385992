import { toCsv } from "@/lib/instructor/to-csv";
import type { ClassResults } from "./class-results";

export const CLASS_RESULT_COLUMNS = [
  "class",
  "learner",
  "email",
  "kind",
  "assignment",
  "due_at",
  "status",
  "score_percent",
  "attempts_used",
  "attempts_allowed",
  "uncounted_attempts",
  "result_attempt_id",
] as const;

/** The results grid as CSV, one line per learner × assignment (long form, for spreadsheets' pivot tables). */
export function classResultsCsv(className: string, results: ClassResults): string {
  const rows = results.rows.flatMap((r) =>
    results.assignments.map((a, i) => {
      const c = r.cells[i]!;
      return [className, r.name, r.email, a.kind, a.target, a.dueAt, c.status, c.scorePercent, c.attemptsUsed, c.attemptsAllowed, c.uncounted, c.resultAttemptId];
    }),
  );
  return toCsv(CLASS_RESULT_COLUMNS, rows);
}
