"use client";

import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, useState } from "react";
import { parseAsciicast, replayDelays, type Asciicast } from "./parse-asciicast";

type Status = "loading" | "ready" | "playing" | "done" | "error";

/**
 * Replays one terminal recording (asciicast v2) in xterm.js, with its timing (idle capped at 1 s).
 * `base` is the route that serves it: the owner's (default) or the instructor's.
 */
export function RecordingPlayer({
  recordingId,
  node,
  startedAt,
  base = "/api/terminal/recordings",
}: {
  recordingId: string;
  node: string;
  startedAt: string;
  base?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<Status>("loading");
  const [error, setError] = useState("");
  const [speed, setSpeed] = useState(2);
  const cast = useRef<Asciicast | null>(null);
  const term = useRef<{ reset(): void; write(d: string): void; dispose(): void } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let disposed = false;
    (async () => {
      try {
        const res = await fetch(`${base}/${recordingId}`, { cache: "no-store" });
        if (!res.ok) throw new Error(`The recording could not be loaded (HTTP ${res.status}).`);
        const parsed = parseAsciicast(await res.text());
        const { Terminal } = await import("@xterm/xterm");
        if (disposed || !host.current) return;
        const t = new Terminal({ cols: parsed.width, rows: Math.min(parsed.height, 30), disableStdin: true, convertEol: false, fontSize: 13 });
        t.open(host.current);
        cast.current = parsed;
        term.current = t;
        // Show where the session ended; Play replays it from the start with its timing.
        t.write(parsed.frames.map((f) => f[1]).join(""));
        setStatus("ready");
      } catch (e) {
        if (!disposed) {
          setError(e instanceof Error ? e.message : String(e));
          setStatus("error");
        }
      }
    })();
    return () => {
      disposed = true;
      clearTimeout(timer.current);
      term.current?.dispose();
      term.current = null;
    };
  }, [recordingId, base]);

  function play() {
    const c = cast.current;
    const t = term.current;
    if (!c || !t) return;
    clearTimeout(timer.current);
    t.reset();
    const delays = replayDelays(c.frames, 1, speed);
    let i = 0;
    setStatus("playing");
    const step = () => {
      if (i >= c.frames.length) return setStatus("done");
      t.write(c.frames[i]![1]);
      i++;
      timer.current = setTimeout(step, delays[i] ?? 0);
    };
    timer.current = setTimeout(step, delays[0] ?? 0);
  }

  function skip() {
    const c = cast.current;
    const t = term.current;
    if (!c || !t) return;
    clearTimeout(timer.current);
    t.reset();
    t.write(c.frames.map((f) => f[1]).join(""));
    setStatus("done");
  }

  return (
    <figure className="rounded-lg border border-slate-800 bg-slate-900 p-3" data-testid={`recording-${node}`}>
      <figcaption className="flex flex-wrap items-center gap-3 text-sm mb-2">
        <span className="font-mono">{node}</span>
        <span className="text-slate-500">{new Date(startedAt).toLocaleString()}</span>
        <span className="ml-auto flex items-center gap-2">
          <label className="text-slate-400">
            speed{" "}
            <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))} className="bg-slate-800 rounded px-1">
              {[1, 2, 4, 8].map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={play} disabled={status === "loading" || status === "error"} className="rounded bg-slate-800 px-2 py-1 hover:bg-slate-700 disabled:opacity-50">
            {status === "playing" ? "Restart" : "Play"}
          </button>
          <button type="button" onClick={skip} disabled={status === "loading" || status === "error"} className="rounded bg-slate-800 px-2 py-1 hover:bg-slate-700 disabled:opacity-50">
            Show all
          </button>
        </span>
      </figcaption>
      {status === "error" && <p role="alert" className="text-sm text-rose-300">{error}</p>}
      <div ref={host} className="overflow-x-auto bg-black" data-status={status} />
    </figure>
  );
}
