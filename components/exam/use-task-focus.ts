"use client";

import { useEffect } from "react";
import { FOCUS_BEAT_MS } from "@/lib/exams/credit-focus";

/**
 * Tells the server which task is open while the attempt runs: at once when it changes, then every
 * FOCUS_BEAT_MS, and "none" while the page is hidden. The server times the intervals on its own
 * clock (lib/exams/task-focus.ts); a beat that fails is simply not credited.
 */
export function useTaskFocus(attemptId: string, position: number, running: boolean): void {
  useEffect(() => {
    if (!running) return;
    const beat = () => {
      const open = document.visibilityState === "visible" ? position : null;
      void fetch(`/api/exams/${attemptId}/focus`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ position: open }),
        keepalive: true,
      }).catch(() => undefined);
    };
    beat();
    const t = setInterval(beat, FOCUS_BEAT_MS);
    document.addEventListener("visibilitychange", beat);
    return () => {
      clearInterval(t);
      document.removeEventListener("visibilitychange", beat);
    };
  }, [attemptId, position, running]);
}
