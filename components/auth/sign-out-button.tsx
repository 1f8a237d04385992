"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/** Ends this browser's session on the server, then goes to /sign-in (also when the session had already ended). */
export function SignOutButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  async function signOut() {
    setBusy(true);
    await fetch("/api/auth/sign-out", { method: "POST", cache: "no-store" }).catch(() => undefined);
    // refresh: the layout (which shows who is signed in) is rendered again, not kept from before.
    router.replace("/sign-in");
    router.refresh();
  }
  return (
    <button type="button" onClick={() => void signOut()} disabled={busy} className="rounded border border-slate-700 px-2 py-1 text-xs hover:bg-slate-800 disabled:opacity-60">
      {busy ? "Signing out…" : "Sign out"}
    </button>
  );
}
