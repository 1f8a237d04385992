import type { NodeToolHost } from "./node-tool-host";
import type { UnitName } from "./node-services";
import { klogTime, syslogDate } from "./text-format";

export interface JournalEntry {
  time: Date;
  line: string;
}

/**
 * A unit's journal as journald would show it: systemd's own lines plus the daemon's log (the
 * kubelet's klog lines from the kubelet model, and lines the node runtime adds for it).
 */
export function unitJournal(host: NodeToolHost, unit: UnitName): JournalEntry[] {
  const now = host.clock.now();
  const u = host.services.units[unit];
  const name = host.node.name;
  const entries: JournalEntry[] = u.journal.map((j) => ({ time: j.time, line: `${syslogDate(j.time)} ${name} ${j.ident}[${j.pid}]: ${j.text}` }));
  const daemon = [...(unit === "kubelet" ? host.kubelet.journal() : (host.kubelet.runtimeJournal?.() ?? [])), ...host.extraJournal(unit)];
  let last = entries[0]?.time ?? now;
  for (const text of daemon) {
    const t = klogTime(text, now) ?? jsonTime(text) ?? last;
    last = t;
    entries.push({ time: t, line: `${syslogDate(t)} ${name} ${unit}[${u.pid}]: ${text}` });
  }
  return entries.sort((a, b) => a.time.getTime() - b.time.getTime());
}

function jsonTime(text: string): Date | null {
  const m = /time="([^"]+)"/.exec(text) ?? /"ts":"([^"]+)"/.exec(text);
  if (!m) return null;
  const d = new Date(m[1]!);
  return Number.isNaN(d.getTime()) ? null : d;
}
