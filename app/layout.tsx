import type { Metadata } from "next";
import Link from "next/link";
import { InstructorNavLink } from "./_lib/instructor-nav-link";
import "./globals.css";

export const metadata: Metadata = {
  title: "breakfix — Kubernetes break/fix labs",
  description: "Fix broken Kubernetes clusters with the real tools, and get graded on the result.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
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
        </header>
        <main className="px-6 py-6">{children}</main>
      </body>
    </html>
  );
}
