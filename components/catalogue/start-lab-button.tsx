"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorNote } from "@/components/lab/error-note";
import { LabApiError, labApi } from "@/components/lab/lab-api";

/**
 * Starts (or resumes) a lab and opens its page, where provisioning streams. A refusal, such as
 * the kind driver without Docker, is shown right here with what to do.
 */
export function StartLabButton({ slug, title, liveLabId, variant }: { slug: string; title: string; liveLabId: string | null; variant?: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  async function start() {
    setBusy(true);
    setError(null);
    try {
      const r = await labApi<{ id: string }>("/api/labs", { body: variant ? { scenario: slug, variant } : { scenario: slug } });
      router.push(`/labs/${r.id}`);
    } catch (e) {
      setError(e instanceof LabApiError ? e : { message: "The lab could not be started." });
      setBusy(false);
    }
  }
  return (
    <div className="flex flex-col gap-2">
      <button
        type="button"
        onClick={() => void start()}
        disabled={busy}
        aria-label={`${liveLabId ? "Resume" : "Start"} lab: ${title}`}
        className="self-start rounded bg-amber-500 px-3 py-1.5 text-sm font-medium text-slate-950 hover:bg-amber-400 disabled:opacity-60"
      >
        {busy ? "Starting…" : liveLabId ? "Resume lab" : "Start lab"}
      </button>
      <ErrorNote error={error} />
    </div>
  );
}
