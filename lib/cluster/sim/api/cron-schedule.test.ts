import { describe, expect, it } from "vitest";
import { parseSchedule } from "./cron-schedule";

const next = (spec: string, from: string, tz?: string) => {
  const p = parseSchedule(spec, tz);
  if (!p.ok) throw new Error(p.error);
  return p.schedule.next(new Date(from))?.toISOString();
};
const error = (spec: string) => {
  const p = parseSchedule(spec);
  return p.ok ? null : p.error;
};

describe("parseSchedule (robfig/cron ParseStandard)", () => {
  it("reports the errors the apiserver prints for a bad spec.schedule", () => {
    expect(error("*/1 * * *")).toBe("expected exactly 5 fields, found 4: [*/1 * * *]");
    expect(error("* * * * * *")).toBe("expected exactly 5 fields, found 6: [* * * * * *]");
    expect(error("61 * * * *")).toBe("end of range (61) above maximum (59): 61");
    expect(error("* * 0 * *")).toBe("beginning of range (0) below minimum (1): 0");
    expect(error("5-2 * * * *")).toBe("beginning of range (5) beyond end of range (2): 5-2");
    expect(error("*/0 * * * *")).toBe("step of range should be a positive number: */0");
    expect(error("x * * * *")).toBe('failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
    expect(error("1-2-3 * * * *")).toBe("too many hyphens: 1-2-3");
    expect(error("* * * * 7")).toBe("end of range (7) above maximum (6): 7");
    expect(error("@fortnightly")).toBe("unrecognized descriptor: @fortnightly");
    expect(error("@every 5x")).toBe('failed to parse duration @every 5x: time: invalid duration "5x"');
    expect(error("")).toBe("empty spec string");
    for (const ok of ["*/5 * * * *", "0 9 * * MON-FRI", "0 0 1 jan ?", "@hourly", "@midnight", "@every 90s", "15,45 */2 * * sun"]) expect(error(ok)).toBeNull();
  });

  it("finds the next time strictly after a moment, in the schedule's time zone", () => {
    expect(next("*/1 * * * *", "2026-01-01T00:00:30Z")).toBe("2026-01-01T00:01:00.000Z");
    expect(next("*/1 * * * *", "2026-01-01T00:01:00Z")).toBe("2026-01-01T00:02:00.000Z");
    expect(next("5/10 * * * *", "2026-01-01T00:06:00Z")).toBe("2026-01-01T00:15:00.000Z");
    expect(next("0 9 * * *", "2026-01-01T00:00:00Z", "Europe/Berlin")).toBe("2026-01-01T08:00:00.000Z");
    expect(next("TZ=Asia/Tokyo 0 9 * * *", "2026-01-01T00:00:00Z")).toBe("2026-01-02T00:00:00.000Z");
    expect(next("@every 90s", "2026-01-01T00:00:00.500Z")).toBe("2026-01-01T00:01:30.000Z");
    expect(next("0 0 31 2 *", "2026-01-01T00:00:00Z")).toBeUndefined();
  });
});
