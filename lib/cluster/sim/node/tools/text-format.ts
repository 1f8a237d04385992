/**
 * Output helpers shaped like the Go libraries the real tools print with: text/tabwriter,
 * docker/go-units (crictl's "4 minutes ago", "246MB") and apimachinery's ShortHumanDuration
 * (kubeadm's "364d"). Getting these right is most of what makes a tool's output look real.
 */

/**
 * Go's tabwriter for one block of rows: a cell terminated by a tab is padded to
 * max(minwidth, widest cell + padding); a row's last cell is written as is.
 */
export function tabwrite(rows: string[][], minwidth: number, padding: number): string {
  const widths: number[] = [];
  for (const r of rows) {
    for (let i = 0; i < r.length - 1; i++) widths[i] = Math.max(widths[i] ?? minwidth, r[i]!.length + padding);
  }
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join("") + "\n").join("");
}

/** go-units HumanDuration, as crictl prints CREATED ("4 minutes ago" without the suffix). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return "Less than a second";
  if (seconds === 1) return "1 second";
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 1) return "About a minute";
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ms / 3_600_000 + 0.5);
  if (hours === 1) return "About an hour";
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}

/** go-units HumanSizeWithPrecision(size, 3) (decimal units), as crictl images prints SIZE. */
export function humanSize(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))}${units[i]}`;
}

/** apimachinery duration.ShortHumanDuration (kubeadm's RESIDUAL TIME). */
export function shortHumanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return "<invalid>";
  if (s < 0) return "0s";
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h`;
  if (h < 24 * 365) return `${Math.floor(h / 24)}d`;
  return `${Math.floor(h / 24 / 365)}y`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** Go layout "Jan 02, 2006 15:04 MST" in UTC (kubeadm's EXPIRES). */
export function kubeadmDate(d: Date): string {
  return `${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())}, ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())} UTC`;
}

/** journald's short format prefix: "Nov 21 07:32:57". */
export function syslogDate(d: Date): string {
  return `${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** systemd's "Sat 2026-11-21 07:24:05 UTC". */
export function systemdDate(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC`;
}

/** systemd's relative age: "36min ago", "5s ago", "2h 3min ago". */
export function systemdAgo(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}min ago`;
  return `${Math.floor(h / 24)} days ago`;
}

/**
 * The time in a klog header ("E1121 07:32:57.123456 …"), in the year of `ref`; null when the
 * line has no klog header.
 */
export function klogTime(line: string, ref: Date): Date | null {
  const m = /^[IWEF](\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})/.exec(line);
  if (!m) return null;
  return new Date(Date.UTC(ref.getUTCFullYear(), Number(m[1]) - 1, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}
