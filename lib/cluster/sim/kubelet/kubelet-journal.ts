/**
 * The kubelet's own log, in klog's text format, for `journalctl -u kubelet`:
 * `E0321 08:00:37.123456     245 file.go:123] "message" key="value"`. Timestamps come from the
 * SimClock; the sub-millisecond digits are random, as a real clock's would be.
 */
import type { SimClock } from "../clock";
import { randomHex } from "../controllers/object-helpers";

/** Lines kept; older ones are dropped, as journald rotates. */
const MAX_JOURNAL_LINES = 5000;

export type KlogLevel = "I" | "E" | "W";

export interface KubeletJournal {
  write(level: KlogLevel, source: string, message: string): void;
  /** A copy of the lines, oldest first. */
  lines(): string[];
  /**
   * A line of containerd's CRI plugin, in logrus's format (`time="…" level=info msg="…"`), for
   * `journalctl -u containerd`: the runtime calls the kubelet makes (RunPodSandbox, CreateContainer,
   * StopContainer, …) as the real containerd logs them.
   */
  runtime(level: "info" | "warning" | "error", msg: string, extra?: string): void;
  runtimeLines(): string[];
}

export function createKubeletJournal(clock: SimClock): KubeletJournal {
  const lines: string[] = [];
  const runtimeLines: string[] = [];
  return {
    write(level, source, message) {
      const d = clock.now();
      const p2 = (n: number) => String(n).padStart(2, "0");
      const ts = `${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, "0")}${randomHex(3).replace(/[a-f]/g, "0")}`;
      lines.push(`${level}${ts}     245 ${source}] ${message}`);
      if (lines.length > MAX_JOURNAL_LINES) lines.splice(0, lines.length - MAX_JOURNAL_LINES);
    },
    lines: () => [...lines],
    runtime(level, msg, extra) {
      const d = clock.now();
      // containerd prints nanoseconds; the digits below the millisecond are as random as a real clock's.
      const ts = `${d.toISOString().slice(0, 23)}${String(Math.floor(Math.random() * 1_000_000)).padStart(6, "0")}Z`;
      runtimeLines.push(`time="${ts}" level=${level} msg="${msg.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"${extra ? ` ${extra}` : ""}`);
      if (runtimeLines.length > MAX_JOURNAL_LINES) runtimeLines.splice(0, runtimeLines.length - MAX_JOURNAL_LINES);
    },
    runtimeLines: () => [...runtimeLines],
  };
}
