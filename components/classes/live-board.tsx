"use client";

import { useEffect, useState } from "react";
import { labApi } from "@/components/lab/lab-api";

interface BoardLab {
  labId: string;
  scenarioId: string;
  state: string;
  provisionStep: string | null;
  lastActivityAt: string;
  checksPassed: number | null;
  checksTotal: number | null;
  checkRuns: number;
  hintsUsed: number;
}
interface BoardRow {
  userId: string;
  name: string;
  labs: BoardLab[];
  exams: { attemptId: string; slug: string; state: string; deadline: string | null; tasks: number }[];
  lastSeenAt: string | null;
}

const POLL_MS = 5000;

function ago(iso: string | null, now: number): string {
  if (!iso) return "—";
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

/** Who is in which lab and how far, refreshed every few seconds while the page is open. */
export function LiveBoard({ classId, titles }: { classId: string; titles: Record<string, string> }) {
  const [rows, setRows] = useState<BoardRow[] | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [stale, setStale] = useState(false);
  useEffect(() => {
    let stop = false;
    async function poll() {
      try {
        const r = await labApi<{ rows: BoardRow[] }>(`/api/classes/${classId}/board`, { method: "GET" });
        if (!stop) {
          setRows(r.rows);
          setStale(false);
        }
      } catch {
        if (!stop) setStale(true);
      }
      if (!stop) setNow(Date.now());
    }
    void poll();
    const t = setInterval(() => void poll(), POLL_MS);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [classId]);
  if (!rows) return <p className="text-sm text-slate-400">Loading the board…</p>;
  if (rows.length === 0) return <p className="text-sm text-slate-400">No one has joined yet.</p>;
  return (
    <div className="flex flex-col gap-1">
      {stale ? <p className="text-xs text-amber-300">The board could not be refreshed; showing the last answer.</p> : null}
      <table className="w-full text-sm" aria-label="Live board">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th className="py-1 font-normal">Learner</th>
            <th className="py-1 font-normal">Working on</th>
            <th className="py-1 font-normal">Progress</th>
            <th className="py-1 font-normal">Last active</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.userId} data-testid={`board-${r.name}`} className="border-t border-slate-800 align-top">
              <td className="py-1.5">{r.name}</td>
              <td className="py-1.5">
                {r.labs.length === 0 && r.exams.length === 0 ? <span className="text-slate-500">not in a lab</span> : null}
                {r.labs.map((l) => (
                  <div key={l.labId}>
                    {titles[l.scenarioId] ?? l.scenarioId} <span className="text-slate-500">({l.state === "provisioning" ? `starting: ${l.provisionStep ?? "queued"}` : l.state})</span>
                  </div>
                ))}
                {r.exams.map((e) => (
                  <div key={e.attemptId}>
                    exam {titles[e.slug] ?? e.slug} <span className="text-slate-500">({e.state}, {e.tasks} tasks)</span>
                  </div>
                ))}
              </td>
              <td className="py-1.5 tabular-nums">
                {r.labs.map((l) => (
                  <div key={l.labId}>
                    {l.checksTotal === null ? "no check yet" : `${l.checksPassed}/${l.checksTotal} checks pass`}
                    <span className="text-slate-500">
                      {" "}
                      · {l.checkRuns} check{l.checkRuns === 1 ? "" : "s"} · {l.hintsUsed} hint{l.hintsUsed === 1 ? "" : "s"}
                    </span>
                  </div>
                ))}
              </td>
              <td className="py-1.5 text-slate-400">{ago(r.lastSeenAt, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
