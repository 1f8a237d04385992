import { CronExpressionParser } from "cron-parser";

/**
 * CronJob schedules as kube-controller-manager and the apiserver read them: robfig/cron/v3's
 * `ParseStandard` (five fields, names, `?`, descriptors, `@every`, a `TZ=`/`CRON_TZ=` prefix).
 * The syntax check here exists for the exact error texts the apiserver returns
 * (`spec.schedule: Invalid value: "…": expected exactly 5 fields, found 4: [* * * *]`);
 * cron-parser computes the times (with time zones and DST), once the spec passed that check.
 */

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

// robfig's descriptors, as five-field expressions for cron-parser.
const DESCRIPTORS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** strconv.Atoi's error, as Go prints it. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`failed to parse int from ${s}: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 63) throw new Error(`failed to parse int from ${s}: strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${s}`);
  return n;
}

function intOrName(s: string, names?: Record<string, number>): number {
  const named = names?.[s.toLowerCase()];
  return named ?? atoi(s);
}

/** getRange of robfig/cron: one comma-separated part of a field. */
function checkRange(expr: string, r: Bounds): void {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = rangeAndStep[0]!.split("-");
  let start: number;
  let end: number;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    start = r.min;
    end = r.max;
  } else {
    start = intOrName(lowAndHigh[0]!, r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = intOrName(lowAndHigh[1]!, r.names);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = atoi(rangeAndStep[1]!);
    if (lowAndHigh.length === 1) end = r.max; // "N/step" means "N-max/step"
  } else if (rangeAndStep.length > 2) throw new Error(`too many slashes: ${expr}`);
  if (start < r.min) throw new Error(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new Error(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
}

/** Go's time.ParseDuration for the units a schedule uses; null when it would fail. */
function goDurationMs(s: string): number | null {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  if (s === "0") return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * units[m[2]!]!;
    pos = re.lastIndex;
  }
  return pos === s.length && pos > 0 ? total : null;
}

export interface CronSchedule {
  /** The first scheduled time strictly after `t` (robfig's Schedule.Next); null when there is none. */
  next(t: Date): Date | null;
}

export type ParsedSchedule = { ok: true; schedule: CronSchedule } | { ok: false; error: string };

/**
 * Parses a schedule like `cron.ParseStandard`. `timeZone` (spec.timeZone) applies unless the
 * schedule names its own with TZ=; kube-controller-manager's local zone is UTC on kind.
 */
export function parseSchedule(spec: string, timeZone?: string): ParsedSchedule {
  try {
    return { ok: true, schedule: parseOrThrow(spec, timeZone) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Whether a zone name is one Go's time.LoadLocation knows (IANA names, "UTC"). */
export function isKnownTimeZone(tz: string): boolean {
  if (tz === "" || tz === "UTC" || tz === "Local") return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz.includes("/") || /^[A-Z]{3,5}\d?$|^Etc\//.test(tz);
  } catch {
    return false;
  }
}

function parseOrThrow(input: string, timeZone?: string): CronSchedule {
  if (!input.length) throw new Error("empty spec string");
  let spec = input;
  let tz = timeZone || "UTC";
  if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
    const i = spec.indexOf(" ");
    const eq = spec.indexOf("=");
    const name = i < 0 ? spec.slice(eq + 1) : spec.slice(eq + 1, i);
    if (!isKnownTimeZone(name)) throw new Error(`provided bad location ${name}: unknown time zone ${name}`);
    tz = name || "UTC";
    spec = i < 0 ? "" : spec.slice(i).trim();
  }
  if (spec.startsWith("@")) {
    if (spec.startsWith("@every ")) {
      const d = spec.slice("@every ".length);
      const ms = goDurationMs(d);
      if (ms === null) throw new Error(`failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(d)}`);
      // robfig rounds the delay down to whole seconds, at least one.
      const delay = Math.max(1000, ms - (ms % 1000));
      return { next: (t) => new Date(t.getTime() - (t.getTime() % 1000) + delay) };
    }
    const five = DESCRIPTORS[spec];
    if (!five) throw new Error(`unrecognized descriptor: ${spec}`);
    spec = five;
  }
  const fields = spec.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`);
  fields.forEach((f, i) => {
    for (const part of f.split(",")) checkRange(part, FIELDS[i]!);
  });
  // cron-parser reads "?" like "*"; robfig's Sunday is 0 only, which the check above enforced.
  const expr = fields.join(" ");
  return {
    next(t) {
      try {
        return CronExpressionParser.parse(expr, { currentDate: t, tz }).next().toDate();
      } catch {
        return null; // e.g. "0 0 31 2 *": valid syntax, never due
      }
    },
  };
}
