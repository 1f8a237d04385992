import { unitJournal, type JournalEntry } from "./journal";
import type { UnitName } from "./node-services";
import { untilAborted, type NodeTool } from "./node-tool-host";

/**
 * journalctl -u kubelet|containerd [-n N] [-f] [--since …] [--no-pager]. Without -u it shows both
 * units merged, which is what a learner gets on a node where nothing else logs.
 */
function parseSince(s: string, now: Date): Date | null {
  // @<seconds since the epoch>, systemd.time(7)'s exact form (what the lab timeline polls with).
  const epoch = /^@(\d+(?:\.\d+)?)$/.exec(s.trim());
  if (epoch) return new Date(Number(epoch[1]) * 1000);
  const rel = /^(-)?(\d+)\s*(s|sec|second|seconds|m|min|minute|minutes|h|hour|hours|d|day|days)(\s+ago)?$/.exec(s.trim());
  if (rel) {
    const n = Number(rel[2]);
    const unit = rel[3]![0]!;
    const ms = unit === "s" ? 1000 : unit === "m" ? 60_000 : unit === "h" ? 3_600_000 : 86_400_000;
    return new Date(now.getTime() - n * ms);
  }
  if (s === "today") return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (s === "yesterday") return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1));
  if (s === "now") return now;
  const d = new Date(/Z|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(" ", "T")}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export const journalctl: NodeTool = async (host, req, io) => {
  const units: UnitName[] = [];
  let n: number | null = null;
  let follow = false;
  let since: Date | null = null;
  const a = req.argv;
  for (let i = 0; i < a.length; i++) {
    const arg = a[i]!;
    const take = () => a[++i] ?? "";
    const eq = /^(--[a-z-]+)=(.*)$/.exec(arg);
    const [flag, inline] = eq ? [eq[1]!, eq[2]!] : [arg, undefined];
    const value = () => inline ?? take();
    if (flag === "-u" || flag === "--unit") {
      const v = value().replace(/\.service$/, "");
      if (v !== "kubelet" && v !== "containerd") {
        io.out("-- No entries --\n");
        return 0;
      }
      units.push(v);
    } else if (/^-u.+/.test(flag)) {
      const v = flag.slice(2).replace(/\.service$/, "");
      if (v === "kubelet" || v === "containerd") units.push(v);
    } else if (flag === "-n" || flag === "--lines") n = Number(value());
    else if (/^-n\d+$/.test(flag)) n = Number(flag.slice(2));
    else if (flag === "-f" || flag === "--follow") follow = true;
    else if (flag === "-S" || flag === "--since") {
      since = parseSince(value(), host.clock.now());
      if (!since) {
        io.err(`Failed to parse timestamp: ${inline ?? a[i]}\n`);
        return 1;
      }
    } else if (["--no-pager", "-l", "--full", "-x", "-e", "--pager-end", "-a", "--all", "-q", "--quiet"].includes(flag)) {
      if (flag === "-e" || flag === "--pager-end") n ??= 1000;
    } else if (/^-[a-z]+$/.test(flag) && flag.includes("f")) {
      follow = true;
    } else {
      io.err(`journalctl: unrecognized option '${arg}'\n`);
      return 1;
    }
  }
  const list = units.length ? units : (["containerd", "kubelet"] as UnitName[]);
  const collect = (): JournalEntry[] => list.flatMap((u) => unitJournal(host, u)).sort((x, y) => x.time.getTime() - y.time.getTime());
  let entries = collect();
  if (since) entries = entries.filter((e) => e.time >= since!);
  if (follow && n === null) n = 10;
  const shown = n !== null ? entries.slice(Math.max(0, entries.length - n)) : entries;
  if (!shown.length && !follow) {
    io.out("-- No entries --\n");
    return 0;
  }
  io.out(shown.map((e) => `${e.line}\n`).join(""));
  if (!follow) return 0;
  let seen = collect().length;
  const timer = setInterval(() => {
    const all = collect();
    if (all.length > seen) io.out(all.slice(seen).map((e) => `${e.line}\n`).join(""));
    seen = all.length;
  }, 300);
  await untilAborted(io.signal);
  clearInterval(timer);
  return 0;
};
