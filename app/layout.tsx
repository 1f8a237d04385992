import type { Metadata } from "next";
import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { getConfig } from "@/lib/config";
import { InstructorNavLink } from "./_lib/instructor-nav-link";
import { optionalPageUser } from "./_lib/optional-page-user";
import "./globals.css";

export const metadata: Metadata = {
  title: "breakfix — Kubernetes break/fix labs",
  description: "Fix broken Kubernetes clusters with the real tools, and get graded on the result.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Only shared mode has accounts to show; local mode's header stays as it was.
  const user = getConfig().mode === "shared" ? await optionalPageUser() : null;
  return (
    <html lang="en">
      <body className="min-h-screen">
        <header className="border-b border-slate-800 px-6 py-3 flex items-center gap-6">
          <Link href="/" className="font-semibold tracking-tight text-lg">
            break<span className="text-amber-400">fix</span>
          </Link>
          <nav className="text-sm text-slate-400 flex gap-4">
            <Link href="/" className="hover:text-slate-100">Scenarios</Link>
            <Link href="/exams" className="hover:text-slate-100">Exams</Link>
            <Link href="/history" className="hover:text-slate-100">History</Link>
            <Link href="/classes" className="hover:text-slate-100">Classes</Link>
            <InstructorNavLink />
          </nav>
          {user && (
            <div className="ml-auto flex items-center gap-3 text-sm text-slate-400" aria-label="Account">
              <span data-testid="signed-in-as">
                {user.name} <span className="text-slate-500">({user.role})</span>
              </span>
              <SignOutButton />
            </div>
          )}
        </header>
        <main className="px-6 py-6">{children}</main>
      </body>
    </html>
  );
}
