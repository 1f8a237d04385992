"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorNote } from "@/components/lab/error-note";
import { LabApiError, labApi } from "@/components/lab/lab-api";

/** A button that POSTs one class change and refreshes the page; a refusal is shown beside it. */
export function ClassPostButton({ path, body, label, confirmText, danger }: { path: string; body: unknown; label: string; confirmText?: string; danger?: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  async function run() {
    if (confirmText && !window.confirm(confirmText)) return;
    setBusy(true);
    setError(null);
    try {
      await labApi(path, { body });
      router.refresh();
    } catch (e) {
      setError(e instanceof LabApiError ? e : { message: "That did not work." });
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className="inline-flex flex-col gap-1">
      <button
        type="button"
        onClick={() => void run()}
        disabled={busy}
        className={`rounded px-2 py-0.5 text-xs disabled:opacity-60 ${danger ? "border border-rose-700 text-rose-300 hover:bg-rose-950" : "border border-slate-600 text-slate-200 hover:bg-slate-800"}`}
      >
        {label}
      </button>
      <ErrorNote error={error} />
    </span>
  );
}
