/** One check's outcome in a check run, as analytics reads it (CheckRun.results, parsed). */
export interface CheckResultFact {
  id: string;
  title: string;
  ok: boolean;
}

/** One lab session as the analytics see it; check runs oldest first. */
export interface AttemptFacts {
  id: string;
  state: string;
  startedAt: Date;
  readyAt: Date | null;
  endedAt: Date | null;
  resetCount: number;
  hintsUsed: number;
  checkRuns: { results: CheckResultFact[] }[];
}

export interface CheckStats {
  id: string;
  title: string;
  /** Attempts whose last check run failed this check. */
  failedAttempts: number;
  /** Check runs (over every attempt) in which this check failed. */
  failedRuns: number;
  /** Attempts whose last check run passed every other check. */
  passedOthers: number;
  /** Of those, the attempts in which this check failed. */
  failedWhenOthersPassed: number;
  /** Fails for nearly everyone who passes the rest: likely the check, not the learners (SUSPECT_*). */
  suspect: boolean;
}

export interface PackAnalytics {
  /** Lab sessions that reached ready: provisioning failures are the server's, not attempts. */
  attempts: number;
  /** Attempts in a final state (passed, failed, abandoned, expired). */
  ended: number;
  passed: number;
  /** passed / ended; null before any attempt ended. */
  passRate: number | null;
  /** Median ready → end of the passed attempts, in ms; null without one. */
  medianTimeToPassMs: number | null;
  /** The check that failed in the most attempts' last check run; null when none ever failed. */
  mostFailedCheck: { id: string; title: string; failedAttempts: number } | null;
  /** Hints revealed over every attempt, and the share of attempts that revealed at least one. */
  hintUses: number;
  attemptsWithHints: number;
  hintShare: number | null;
  /** Resets over every attempt, and the share of attempts reset at least once. */
  resets: number;
  attemptsWithResets: number;
  resetShare: number | null;
  /** Per check, in the pack's order, then checks seen only in old results (renamed or removed). */
  checks: CheckStats[];
}

/** A check is suspect when it fails in at least this share of the attempts that pass every other check… */
export const SUSPECT_FAIL_SHARE = 0.8;
/** …among at least this many such attempts (fewer say nothing). */
export const SUSPECT_MIN_ATTEMPTS = 3;

const FINAL = new Set(["passed", "failed", "abandoned", "expired"]);

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function share(part: number, whole: number): number | null {
  return whole ? part / whole : null;
}

/**
 * What learners' attempts say about a pack. A check's verdict in an attempt is the one of the
 * attempt's last check run: earlier runs fail while the learner is still fixing, the last one is
 * where they stopped. An attempt never checked says nothing about any check.
 *
 * @example
 * const a = packAnalytics(attempts, pack.checks);
 * if (a.checks.some((c) => c.suspect)) console.warn("a check fails for nearly everyone who fixed the rest");
 */
export function packAnalytics(sessions: readonly AttemptFacts[], packChecks: readonly { id: string; title: string }[]): PackAnalytics {
  const attempts = sessions.filter((s) => s.readyAt !== null);
  const ended = attempts.filter((s) => FINAL.has(s.state));
  const passed = ended.filter((s) => s.state === "passed");
  const toPass = passed.flatMap((s) => (s.endedAt && s.readyAt ? [Math.max(0, s.endedAt.getTime() - s.readyAt.getTime())] : []));

  const stats = new Map<string, CheckStats>();
  const statOf = (id: string, title: string): CheckStats => {
    let st = stats.get(id);
    if (!st) stats.set(id, (st = { id, title, failedAttempts: 0, failedRuns: 0, passedOthers: 0, failedWhenOthersPassed: 0, suspect: false }));
    return st;
  };
  for (const c of packChecks) statOf(c.id, c.title);
  for (const a of attempts) {
    for (const run of a.checkRuns) for (const r of run.results) if (!r.ok) statOf(r.id, r.title).failedRuns += 1;
    const last = a.checkRuns.at(-1)?.results;
    if (!last?.length) continue;
    for (const r of last) {
      const st = statOf(r.id, r.title);
      if (!r.ok) st.failedAttempts += 1;
      if (last.every((o) => o.id === r.id || o.ok)) {
        st.passedOthers += 1;
        if (!r.ok) st.failedWhenOthersPassed += 1;
      }
    }
  }
  const checks = [...stats.values()].map((st) => ({
    ...st,
    suspect: st.passedOthers >= SUSPECT_MIN_ATTEMPTS && st.failedWhenOthersPassed >= SUSPECT_FAIL_SHARE * st.passedOthers,
  }));
  // Ties go to the check that failed in more runs, then to the pack's order.
  const most = checks.reduce<CheckStats | null>(
    (best, c) =>
      c.failedAttempts > 0 && (!best || c.failedAttempts > best.failedAttempts || (c.failedAttempts === best.failedAttempts && c.failedRuns > best.failedRuns))
        ? c
        : best,
    null,
  );
  const hintUses = attempts.reduce((n, a) => n + a.hintsUsed, 0);
  const resets = attempts.reduce((n, a) => n + a.resetCount, 0);
  const withHints = attempts.filter((a) => a.hintsUsed > 0).length;
  const withResets = attempts.filter((a) => a.resetCount > 0).length;
  return {
    attempts: attempts.length,
    ended: ended.length,
    passed: passed.length,
    passRate: share(passed.length, ended.length),
    medianTimeToPassMs: median(toPass),
    mostFailedCheck: most ? { id: most.id, title: most.title, failedAttempts: most.failedAttempts } : null,
    hintUses,
    attemptsWithHints: withHints,
    hintShare: share(withHints, attempts.length),
    resets,
    attemptsWithResets: withResets,
    resetShare: share(withResets, attempts.length),
    checks,
  };
}
