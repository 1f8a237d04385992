"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorNote } from "@/components/lab/error-note";
import { LabApiError, labApi } from "@/components/lab/lab-api";

/** Creates a class and opens its page, where the join link is. */
export function CreateClassForm() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await labApi<{ id: string }>("/api/classes", { body: { name } });
      router.push(`/classes/${r.id}`);
    } catch (err) {
      setError(err instanceof LabApiError ? err : { message: "The class could not be created." });
      setBusy(false);
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} className="flex flex-wrap items-end gap-2" aria-label="Create a class">
      <label className="flex flex-col gap-1 text-sm">
        <span className="text-slate-400">Class name</span>
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={120}
          required
          className="rounded border border-slate-700 bg-slate-900 px-2 py-1"
          placeholder="CKA prep, Tuesday group"
        />
      </label>
      <button type="submit" disabled={busy} className="rounded bg-amber-500 px-3 py-1.5 text-sm font-medium text-slate-950 hover:bg-amber-400 disabled:opacity-60">
        {busy ? "Creating…" : "Create class"}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
