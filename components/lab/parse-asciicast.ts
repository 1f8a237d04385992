import { z } from "zod";

export interface Asciicast {
  width: number;
  height: number;
  /** Output events only: [seconds since start, data]. */
  frames: [number, string][];
}

const header = z.looseObject({ version: z.literal(2), width: z.number().int().positive(), height: z.number().int().positive() });
const event = z.tuple([z.number().nonnegative(), z.string(), z.string()]);

/**
 * Parses an asciicast v2 file (a JSON header line, then one [time, code, data] event per line).
 * Only "o" (output) events are replayed; malformed lines are skipped, a bad header throws.
 */
export function parseAsciicast(text: string): Asciicast {
  const lines = text.split("\n").filter((l) => l.trim());
  if (lines.length === 0) throw new Error("The recording is empty.");
  const h = header.safeParse(JSON.parse(lines[0]!));
  if (!h.success) throw new Error("The recording is not an asciicast v2 file.");
  const frames: [number, string][] = [];
  for (const line of lines.slice(1)) {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      continue;
    }
    const e = event.safeParse(raw);
    if (e.success && e.data[1] === "o") frames.push([e.data[0], e.data[2]]);
  }
  return { width: h.data.width, height: h.data.height, frames };
}

/** Replay delays: real gaps, but no pause longer than maxIdle seconds (asciinema's idle limit). */
export function replayDelays(frames: [number, string][], maxIdle = 1, speed = 1): number[] {
  let prev = 0;
  return frames.map(([t]) => {
    const gap = Math.min(Math.max(0, t - prev), maxIdle);
    prev = t;
    return (gap * 1000) / speed;
  });
}
