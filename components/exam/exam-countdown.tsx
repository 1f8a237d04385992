"use client";

import { useEffect, useState } from "react";
import { formatRemaining, timeWarning } from "./time-warning";

/**
 * The time left by the server's deadline. `remainingMs` is the server's answer at `receivedAt`
 * (the browser's clock), so a browser clock set wrong does not move the deadline. At zero the
 * server ends the attempt itself; this only shows it.
 */
export function ExamCountdown({ remainingMs, receivedAt, durationMs }: { remainingMs: number; receivedAt: number; durationMs: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, remainingMs - (now - receivedAt));
  const warning = timeWarning(left, durationMs);
  return (
    <div className="flex items-center gap-3">
      <span
        data-testid="exam-timer"
        data-remaining-seconds={Math.ceil(left / 1000)}
        suppressHydrationWarning
        className={`font-mono text-lg tabular-nums ${warning !== null && warning <= 5 ? "text-rose-300" : warning !== null ? "text-amber-300" : "text-slate-100"}`}
        title="Time left (the server's clock)"
      >
        {formatRemaining(left)}
      </span>
      {warning !== null && left > 0 && (
        <span role="status" data-testid="exam-time-warning" className="rounded bg-amber-900/60 px-2 py-0.5 text-xs text-amber-200">
          Less than {warning} minutes left
        </span>
      )}
      {left === 0 && (
        <span role="status" className="text-xs text-slate-300">
          Time is up: grading every task…
        </span>
      )}
    </div>
  );
}
