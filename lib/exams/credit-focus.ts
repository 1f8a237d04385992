// Pure, and free of server imports: the exam page imports FOCUS_BEAT_MS and timeAgainstTarget too.

/** How often the exam page says which task is open (components/exam/use-task-focus.ts). */
export const FOCUS_BEAT_MS = 10_000;
/**
 * A gap longer than this between two beats is not credited to anyone: the page was closed, the
 * laptop slept or the network dropped, and nobody knows what the learner did meanwhile.
 */
export const FOCUS_MAX_GAP_MS = 3 * FOCUS_BEAT_MS;

export interface FocusBeat {
  at: Date;
  /** The task open on the page; null when no task is (page hidden or closed). */
  position: number | null;
}

/**
 * The time to credit when a beat arrives: the interval since the previous beat belongs to the
 * task the previous beat named (that was the task on screen meanwhile), measured on the server's
 * clock so a page cannot claim more time than passed. Nothing for a first beat, a beat after
 * "no task", a clock that went backwards, or a gap too long to vouch for.
 */
export function creditFocus(prev: FocusBeat | null, beat: Pick<FocusBeat, "at">, maxGapMs = FOCUS_MAX_GAP_MS): { position: number; ms: number } | null {
  if (!prev || prev.position === null) return null;
  const ms = beat.at.getTime() - prev.at.getTime();
  if (ms <= 0 || ms > maxGapMs) return null;
  return { position: prev.position, ms };
}

/** The time worked on a task against its pack's target minutes. */
export function timeAgainstTarget(activeMs: number, minutes: number): { percent: number | null; over: boolean } {
  if (minutes <= 0) return { percent: null, over: false };
  const percent = Math.round((activeMs / (minutes * 60_000)) * 100);
  return { percent, over: activeMs > minutes * 60_000 };
}
