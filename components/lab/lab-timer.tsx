"use client";

import { useEffect, useState } from "react";
import { formatDuration } from "./format-duration";

/** Elapsed time since the lab became ready, against the pack's minutes; amber once over. */
export function LabTimer({ since, minutes, until }: { since: string; minutes: number; until?: string | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [until]);
  const end = until ? Date.parse(until) : now;
  const elapsed = end - Date.parse(since);
  const over = elapsed > minutes * 60_000;
  return (
    <span data-testid="lab-timer" suppressHydrationWarning className={`font-mono tabular-nums ${over ? "text-amber-300" : "text-slate-200"}`} title="Elapsed / suggested time">
      {formatDuration(elapsed)} <span className="text-slate-500">/ {minutes}:00</span>
    </span>
  );
}
