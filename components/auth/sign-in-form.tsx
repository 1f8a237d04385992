"use client";

import { useState } from "react";
import { ErrorNote } from "@/components/lab/error-note";
import { LabApiError, labApi } from "@/components/lab/lab-api";

/**
 * Email and password, posted as JSON (the server takes no form posts: a cross-site form could
 * send one). On success the whole page reloads at `next`, so the header shows who is signed in.
 */
export function SignInForm({ next, oidc }: { next: string; oidc: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  async function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    setBusy(true);
    setError(null);
    try {
      await labApi("/api/auth/sign-in", { body: { email: String(data.get("email") ?? ""), password: String(data.get("password") ?? "") } });
      window.location.assign(next);
    } catch (e) {
      setError(e instanceof LabApiError ? e : { message: "Signing in failed." });
      setBusy(false);
    }
  }
  return (
    <div className="flex flex-col gap-4">
      <form
        aria-label="Sign in"
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(e.currentTarget);
        }}
      >
        <label className="flex flex-col gap-1 text-sm">
          Email
          <input name="email" type="email" autoComplete="username" required maxLength={254} className="rounded border border-slate-700 bg-slate-950 px-2 py-1.5" />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          Password
          <input name="password" type="password" autoComplete="current-password" required maxLength={200} className="rounded border border-slate-700 bg-slate-950 px-2 py-1.5" />
        </label>
        <button type="submit" disabled={busy} className="self-start rounded bg-amber-500 px-3 py-1.5 text-sm font-medium text-slate-950 hover:bg-amber-400 disabled:opacity-60">
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <ErrorNote error={error} />
      </form>
      {oidc && (
        <a href={`/api/auth/oidc/start?next=${encodeURIComponent(next)}`} className="self-start text-sm text-amber-300 underline hover:text-amber-200">
          Sign in with your school account
        </a>
      )}
    </div>
  );
}
