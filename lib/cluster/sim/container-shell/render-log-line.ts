const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** Fills a catalogue log template at the moment it is written. */
export function renderLogLine(line: string, now: Date, vars: Record<string, string>): string {
  const Y = now.getUTCFullYear();
  const M = p2(now.getUTCMonth() + 1);
  const D = p2(now.getUTCDate());
  const hms = `${p2(now.getUTCHours())}:${p2(now.getUTCMinutes())}:${p2(now.getUTCSeconds())}`;
  const ms = String(now.getUTCMilliseconds()).padStart(3, "0");
  const us = `${ms}${String(Math.floor(Math.random() * 1000)).padStart(3, "0")}`;
  const mon = MONTHS[now.getUTCMonth()]!;
  const times: Record<string, string> = {
    nginx: `${Y}/${M}/${D} ${hms}`,
    redis: `${D} ${mon} ${Y} ${hms}.${ms}`,
    apache: `${DAYS[now.getUTCDay()]} ${mon} ${D} ${hms}.${us} ${Y}`,
    clf: `${D}/${mon}/${Y}:${hms} +0000`,
    iso: `${Y}-${M}-${D}T${hms}.${us}Z`,
    // Go's RFC3339Nano, as logrus writes it.
    logrus: `${Y}-${M}-${D}T${hms}.${us}${String(Math.floor(Math.random() * 1000)).padStart(3, "0")}Z`,
    klog: `I${M}${D} ${hms}.${us}`,
    mysql: `${Y}-${M}-${D} ${hms}+00:00`,
    pg: `${Y}-${M}-${D} ${hms}.${ms}`,
    date: `${DAYS[now.getUTCDay()]} ${mon} ${D} ${hms} UTC ${Y}`,
  };
  return line
    .replace(/\{\{time:(\w+)\}\}/g, (_m, k: string) => times[k] ?? hms)
    .replace(/\{\{epoch\}\}/g, String(Math.floor(now.getTime() / 1000)))
    .replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m);
}
