"use client";

import { TerminalTabs } from "@/components/terminal/terminal-tabs";
import type { NodeRef } from "@/lib/cluster/types";

/** One terminal tab per node of the lab's cluster (components/terminal). */
export function TerminalArea({ labId, nodes }: { labId: string; nodes: NodeRef[] }) {
  return (
    <section aria-label="Terminals" className="min-w-0">
      <TerminalTabs labSessionId={labId} nodes={nodes} className="h-[30rem]" />
    </section>
  );
}
