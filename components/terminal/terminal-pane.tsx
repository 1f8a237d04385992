"use client";

import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, useState } from "react";
import { TerminalConnection, type ConnectionState } from "./terminal-connection";

export interface TerminalPaneProps {
  labSessionId: string;
  node: string;
  /** Hidden panes keep their connection; a pane that becomes visible refits. */
  active: boolean;
  onState?: (s: ConnectionState) => void;
}

/** Ctrl+Shift+C / Ctrl+Shift+V (Cmd+C / Cmd+V on macOS): Ctrl+C itself belongs to the shell. */
function clipboardAction(ev: KeyboardEvent): "copy" | "paste" | null {
  if (ev.type !== "keydown") return null;
  const key = ev.key.toLowerCase();
  const mod = (ev.ctrlKey && ev.shiftKey) || (ev.metaKey && !ev.ctrlKey);
  if (!mod) return null;
  if (key === "c") return "copy";
  if (key === "v") return "paste";
  return null;
}

/**
 * One node's terminal: xterm with fit and web-links, connected through TerminalConnection. It
 * refits on every size change of its pane (ResizeObserver) and tells the server the new size; it
 * shows the connection state over the screen when it is not simply "connected".
 */
export function TerminalPane({ labSessionId, node, active, onState }: TerminalPaneProps) {
  const host = useRef<HTMLDivElement>(null);
  const fitRef = useRef<(() => void) | null>(null);
  const connRef = useRef<TerminalConnection | null>(null);
  const termRef = useRef<{ focus(): void; paste(s: string): void; getSelection(): string; hasSelection(): boolean } | null>(null);
  const [state, setState] = useState<ConnectionState>({ kind: "connecting" });
  const [notice, setNotice] = useState<string | null>(null);
  const onStateRef = useRef(onState);
  useEffect(() => {
    onStateRef.current = onState;
  }, [onState]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let disposed = false;
    let cleanup = () => {};
    // xterm touches the DOM when it loads, so it is imported in the browser only.
    void Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit"), import("@xterm/addon-web-links")]).then(
      ([{ Terminal }, { FitAddon }, { WebLinksAddon }]) => {
        if (disposed) return;
        const term = new Terminal({
          cursorBlink: true,
          fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
          fontSize: 14,
          scrollback: 5000,
          theme: { background: "#020617", foreground: "#e2e8f0", cursor: "#fbbf24", selectionBackground: "#334155" },
        });
        const fit = new FitAddon();
        term.loadAddon(fit);
        term.loadAddon(new WebLinksAddon((_ev, uri) => window.open(uri, "_blank", "noopener,noreferrer")));
        term.open(el);
        termRef.current = term;

        const conn = new TerminalConnection(
          { labSessionId, node },
          {
            output: (data, done) => term.write(data, done),
            reset: () => term.reset(),
            state: (s) => {
              setState(s);
              if (s.kind === "connected") setNotice(null);
              onStateRef.current?.(s);
            },
            notice: (m) => setNotice(m),
          },
        );
        connRef.current = conn;

        const doFit = () => {
          if (el.clientWidth === 0 || el.clientHeight === 0) return; // hidden tab
          fit.fit();
          conn.resize(term.cols, term.rows);
        };
        fitRef.current = doFit;
        doFit();

        term.attachCustomKeyEventHandler((ev) => {
          const action = clipboardAction(ev);
          if (action === "copy" && term.hasSelection()) {
            void navigator.clipboard?.writeText(term.getSelection());
            ev.preventDefault();
            return false;
          }
          if (action === "paste") {
            // Let the browser deliver a native paste event to xterm's textarea when it can; the
            // Clipboard API is the fallback for browsers that do not for Ctrl+Shift+V.
            if (navigator.clipboard?.readText) {
              ev.preventDefault();
              void navigator.clipboard.readText().then((t) => term.paste(t), () => {});
              return false;
            }
          }
          return true;
        });
        const dataSub = term.onData((d) => conn.send(d));
        const binSub = term.onBinary((d) => conn.send(d));
        const ro = new ResizeObserver(() => doFit());
        ro.observe(el);
        conn.start();

        cleanup = () => {
          ro.disconnect();
          dataSub.dispose();
          binSub.dispose();
          conn.dispose();
          term.dispose();
          termRef.current = null;
          connRef.current = null;
          fitRef.current = null;
        };
      },
    );
    return () => {
      disposed = true;
      cleanup();
    };
  }, [labSessionId, node]);

  useEffect(() => {
    if (!active) return;
    fitRef.current?.();
    termRef.current?.focus();
  }, [active]);

  const overlay = overlayFor(state);
  return (
    <div className="relative h-full w-full" data-testid={`terminal-${node}`} data-state={state.kind}>
      <div ref={host} className="absolute inset-0 p-1" aria-label={`Terminal on ${node}`} />
      {overlay && (
        <div
          role="status"
          className={`absolute right-2 top-2 z-10 flex items-center gap-2 rounded px-3 py-1.5 text-sm shadow ${overlay.tone}`}
        >
          <span>{notice && state.kind !== "connecting" ? `${notice} ${overlay.text}` : overlay.text}</span>
          {overlay.retry && (
            <button type="button" className="rounded bg-slate-100 px-2 py-0.5 text-slate-900 hover:bg-white" onClick={() => connRef.current?.retryNow()}>
              {state.kind === "exited" ? "New shell" : "Reconnect"}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function overlayFor(s: ConnectionState): { text: string; tone: string; retry: boolean } | null {
  switch (s.kind) {
    case "connected":
      return null;
    case "connecting":
      return { text: "Connecting…", tone: "bg-slate-700 text-slate-100", retry: false };
    case "reconnecting":
      return { text: `${s.message} (attempt ${s.attempt})`, tone: "bg-amber-500 text-slate-950", retry: false };
    case "disconnected":
      return { text: s.message, tone: "bg-red-700 text-white", retry: s.canRetry };
    case "exited":
      return { text: `The shell exited (code ${s.code}).`, tone: "bg-slate-700 text-slate-100", retry: true };
  }
}
