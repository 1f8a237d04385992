import { TIME_WARNINGS_MINUTES } from "@/lib/exams/attempt-states";

/**
 * The warning to show with `remainingMs` left: the smallest of 30, 15 and 5 minutes that has
 * been reached, or null above 30 minutes. An attempt shorter than a warning never shows it,
 * because a 10-minute exam is not "30 minutes left" at its start.
 */
export function timeWarning(remainingMs: number, durationMs: number): number | null {
  let shown: number | null = null;
  for (const m of TIME_WARNINGS_MINUTES) if (remainingMs <= m * 60_000 && durationMs > m * 60_000) shown = m;
  return shown;
}

/** 1:05:09, 4:07, 0:00 */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
