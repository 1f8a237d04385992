"use client";

import { useCallback, useState } from "react";
import type { NodeRef } from "@/lib/cluster/types";
import type { ConnectionState } from "./terminal-connection";
import { TerminalPane } from "./terminal-pane";

export interface TerminalTabsProps {
  labSessionId: string;
  nodes: NodeRef[];
  /** Tailwind height of the terminal area; the lab page decides its layout. */
  className?: string;
}

const DOT: Record<ConnectionState["kind"], string> = {
  connecting: "bg-slate-400",
  connected: "bg-emerald-400",
  reconnecting: "bg-amber-400 animate-pulse",
  disconnected: "bg-red-500",
  exited: "bg-slate-500",
};

const LABEL: Record<ConnectionState["kind"], string> = {
  connecting: "connecting",
  connected: "connected",
  reconnecting: "reconnecting",
  disconnected: "disconnected",
  exited: "exited",
};

/**
 * One tab per node, each with its own shell (kept connected while another tab is shown). The tab
 * shows the node's name, its role, and a dot for its connection state.
 */
export function TerminalTabs({ labSessionId, nodes, className }: TerminalTabsProps) {
  const [active, setActive] = useState(nodes[0]?.name ?? "");
  const [states, setStates] = useState<Record<string, ConnectionState["kind"]>>({});
  const track = useCallback((node: string, s: ConnectionState) => setStates((prev) => (prev[node] === s.kind ? prev : { ...prev, [node]: s.kind })), []);

  if (nodes.length === 0) return <p className="text-slate-400">This lab has no nodes to open a terminal on.</p>;
  return (
    <div className={`flex flex-col rounded border border-slate-800 bg-slate-950 ${className ?? "h-[32rem]"}`}>
      <div role="tablist" aria-label="Node terminals" className="flex gap-1 border-b border-slate-800 px-2 pt-1">
        {nodes.map((n) => {
          const kind = states[n.name] ?? "connecting";
          const selected = n.name === active;
          return (
            <button
              key={n.name}
              type="button"
              role="tab"
              id={`terminal-tab-${n.name}`}
              aria-selected={selected}
              aria-controls={`terminal-panel-${n.name}`}
              title={`${n.name} (${n.role}) – ${LABEL[kind]}`}
              onClick={() => setActive(n.name)}
              className={`flex items-center gap-2 rounded-t px-3 py-1.5 font-mono text-sm ${
                selected ? "bg-slate-800 text-slate-100" : "text-slate-400 hover:text-slate-200"
              }`}
            >
              <span className={`inline-block h-2 w-2 rounded-full ${DOT[kind]}`} aria-hidden />
              {n.name}
              <span className="font-sans text-xs text-slate-500">{n.role === "control-plane" ? "control plane" : "worker"}</span>
              <span className="sr-only">, {LABEL[kind]}</span>
            </button>
          );
        })}
        <span className="ml-auto self-center pb-1 text-xs text-slate-500">Copy: Ctrl+Shift+C · Paste: Ctrl+Shift+V</span>
      </div>
      <div className="relative min-h-0 flex-1">
        {nodes.map((n) => (
          <div
            key={n.name}
            role="tabpanel"
            id={`terminal-panel-${n.name}`}
            aria-labelledby={`terminal-tab-${n.name}`}
            hidden={n.name !== active}
            className="absolute inset-0"
          >
            <TerminalPane labSessionId={labSessionId} node={n.name} active={n.name === active} onState={(s) => track(n.name, s)} />
          </div>
        ))}
      </div>
    </div>
  );
}
