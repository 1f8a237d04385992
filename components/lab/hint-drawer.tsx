"use client";

import { useState } from "react";
import type { HintView } from "@/lib/labs/lab-view";
import { ErrorNote } from "./error-note";
import { LabApiError, labApi } from "./lab-api";

/** Hints, each showing its cost before it is revealed. A revealed hint stays revealed (and charged). */
export function HintDrawer({ labId, hints, onRevealed }: { labId: string; hints: HintView[]; onRevealed: (h: HintView) => void }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  const used = hints.filter((h) => h.revealed);
  if (hints.length === 0) return null;

  async function reveal(index: number) {
    setBusy(index);
    setError(null);
    try {
      const r = await labApi<{ index: number; text: string; cost: number }>(`/api/labs/${labId}/hints`, { body: { index } });
      onRevealed({ index: r.index, cost: r.cost, revealed: true, text: r.text });
    } catch (e) {
      setError(e instanceof LabApiError ? e : { message: "Could not reveal the hint." });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-label="Hints" className="rounded-lg border border-slate-800 bg-slate-900">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="w-full flex justify-between px-4 py-2 text-sm hover:bg-slate-800/60"
      >
        <span>
          Hints <span className="text-slate-500">({used.length} of {hints.length} used)</span>
        </span>
        <span aria-hidden>{open ? "▾" : "▸"}</span>
      </button>
      {open && (
        <ol className="px-4 pb-3 space-y-2 text-sm">
          {hints.map((h) => (
            <li key={h.index} data-testid={`hint-${h.index}`} className="border-t border-slate-800 pt-2">
              {h.revealed ? (
                <p className="text-slate-200">
                  <span className="text-slate-500">Hint {h.index + 1} (−{h.cost}): </span>
                  {h.text}
                </p>
              ) : (
                <button
                  type="button"
                  disabled={busy !== null}
                  onClick={() => void reveal(h.index)}
                  className="rounded border border-slate-700 px-2 py-1 hover:border-amber-500 disabled:opacity-50"
                >
                  Reveal hint {h.index + 1} — costs {h.cost} point{h.cost === 1 ? "" : "s"}
                </button>
              )}
            </li>
          ))}
          <ErrorNote error={error} />
        </ol>
      )}
    </section>
  );
}
