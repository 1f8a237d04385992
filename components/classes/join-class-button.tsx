"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorNote } from "@/components/lab/error-note";
import { LabApiError, labApi } from "@/components/lab/lab-api";

/** Joins the class of a join link, then shows the learner their classes. */
export function JoinClassButton({ code }: { code: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  async function join() {
    setBusy(true);
    setError(null);
    try {
      await labApi("/api/classes/join", { body: { code } });
      router.push("/classes");
    } catch (e) {
      setError(e instanceof LabApiError ? e : { message: "Joining the class did not work." });
      setBusy(false);
    }
  }
  return (
    <div className="flex flex-col gap-2">
      <button type="button" onClick={() => void join()} disabled={busy} className="self-start rounded bg-amber-500 px-3 py-1.5 text-sm font-medium text-slate-950 hover:bg-amber-400 disabled:opacity-60">
        {busy ? "Joining…" : "Join the class"}
      </button>
      <ErrorNote error={error} />
    </div>
  );
}
