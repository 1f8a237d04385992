"use client";

import { useEffect, useState } from "react";
import type { ClusterSnapshot } from "@/lib/labs/cluster-watch";

const POD_COLOR = (healthy: boolean, status: string) =>
  healthy ? "text-emerald-300" : /BackOff|Err|Crash|Fail|Invalid|Evicted|Unknown/.test(status) ? "text-rose-300" : "text-amber-300";

function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h`;
}

/**
 * The live cluster: nodes with their Ready state, pods (kube-system first) and the latest events,
 * pushed by /api/labs/:id/cluster-stream from server-side watches. When the API server cannot be
 * reached it says so, with the reason, instead of spinning.
 */
export function ClusterPanel({ labId }: { labId: string }) {
  const [snap, setSnap] = useState<ClusterSnapshot | null>(null);
  const [stream, setStream] = useState<"open" | "lost">("open");
  const [now, setNow] = useState(() => Date.now());
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const es = new EventSource(`/api/labs/${labId}/cluster-stream`);
    es.addEventListener("snapshot", (ev) => {
      setSnap(JSON.parse((ev as MessageEvent<string>).data) as ClusterSnapshot);
      setStream("open");
    });
    es.onerror = () => {
      setStream("lost");
      // The browser retries an open stream itself; a refused one (e.g. after a reset) we retry.
      if (es.readyState === EventSource.CLOSED) setTimeout(() => setGeneration((g) => g + 1), 3000);
    };
    return () => es.close();
  }, [labId, generation]);

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(t);
  }, []);

  const api = snap?.api ?? "connecting";
  return (
    <section aria-label="Live cluster" data-testid="cluster-panel" data-api={api} className="rounded-lg border border-slate-800 bg-slate-900 p-3 text-xs">
      <div className="flex items-center justify-between">
        <h3 className="text-sm font-medium">Live cluster</h3>
        <span data-testid="api-status" className={api === "live" ? "text-emerald-400" : api === "unreachable" ? "text-rose-400" : "text-slate-400"}>
          {api === "live" ? "● API server reachable" : api === "unreachable" ? "● API server unreachable" : "○ connecting…"}
        </span>
      </div>
      {api === "unreachable" && snap && (
        <div role="status" className="mt-2 rounded border border-rose-900 bg-rose-950/50 px-2 py-1.5 text-rose-200">
          {snap.message} Retrying{snap.retryInMs ? ` in ${Math.ceil(snap.retryInMs / 1000)} s` : ""}.
          {snap.lastContact && <span className="text-rose-300/70"> Showing what was seen {ago(snap.lastContact, now)} ago.</span>}
        </div>
      )}
      {stream === "lost" && <p className="mt-2 text-slate-500">Live view disconnected from the breakfix server; reconnecting…</p>}

      <h4 className="mt-3 mb-1 text-slate-400 uppercase tracking-wide">Nodes</h4>
      <ul className="space-y-0.5">
        {(snap?.nodes ?? []).map((n) => (
          <li key={n.name} data-testid={`node-${n.name}`} className="flex justify-between font-mono">
            <span>{n.name} <span className="text-slate-500">{n.roles}</span></span>
            <span className={n.ready ? "text-emerald-300" : "text-rose-300"}>{n.status}</span>
          </li>
        ))}
      </ul>

      <h4 className="mt-3 mb-1 text-slate-400 uppercase tracking-wide">Pods</h4>
      <table className="w-full font-mono">
        <tbody>
          {(snap?.pods ?? []).map((p) => (
            <tr key={`${p.namespace}/${p.name}`} data-testid={`pod-${p.namespace}-${p.name}`} data-status={p.status}>
              <td className="pr-2 text-slate-500">{p.namespace}</td>
              <td className="pr-2 break-all">{p.name}</td>
              <td className="pr-2 text-slate-400">{p.ready}</td>
              <td className={`pr-2 ${POD_COLOR(p.healthy, p.status)}`}>{p.status}</td>
              <td className="text-right text-slate-400" title="restarts">{p.restarts > 0 ? `↻${p.restarts}` : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h4 className="mt-3 mb-1 text-slate-400 uppercase tracking-wide">Latest events</h4>
      <ul className="space-y-1 max-h-56 overflow-y-auto" data-testid="cluster-events">
        {(snap?.events ?? []).map((e) => (
          <li key={e.key} className="leading-snug">
            <span className="text-slate-500">{ago(e.at, now)} </span>
            <span className={e.type === "Warning" ? "text-amber-300" : "text-slate-300"}>{e.reason}</span>{" "}
            <span className="text-slate-400">{e.object}</span>
            {e.count > 1 && <span className="text-slate-500"> ×{e.count}</span>}
            <div className="text-slate-400 break-words">{e.message}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}
