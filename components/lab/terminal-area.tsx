"use client";

import type { NodeRef } from "@/lib/cluster/types";

/**
 * Where the node terminals go (components/terminal's TerminalTabs, one tab per node). Until that
 * component lands this says so plainly instead of showing a fake shell.
 */
export function TerminalArea({ nodes }: { labId: string; nodes: NodeRef[] }) {
  return (
    <section aria-label="Terminals" className="rounded-lg border border-slate-800 bg-black p-4 text-sm text-slate-400 min-h-[420px]">
      <p>Terminal tabs are not wired into this build yet. Nodes: {nodes.map((n) => n.name).join(", ") || "(none)"}.</p>
    </section>
  );
}
