import { describe, expect, it } from "vitest";
import { formatValue, writeExposition } from "./prometheus-text";

describe("prometheus text", () => {
  it("formats values like Go's strconv 'g' shortest form", () => {
    expect(formatValue(0)).toBe("0");
    expect(formatValue(42)).toBe("42");
    expect(formatValue(123456)).toBe("123456");
    expect(formatValue(1234567)).toBe("1.234567e+06");
    expect(formatValue(1701582312.22)).toBe("1.70158231222e+09");
    expect(formatValue(0.005)).toBe("0.005");
    expect(formatValue(0.00001)).toBe("1e-05");
    expect(formatValue(Infinity)).toBe("+Inf");
  });

  it("writes sorted families with HELP, TYPE, escaped labels and cumulative histogram buckets", () => {
    const text = writeExposition([
      { name: "z_gauge", help: "Z.", type: "gauge", samples: [{ labels: { b: 'say "hi"', a: "x" }, value: 2 }] },
      { name: "a_seconds", help: "A.", type: "histogram", buckets: [0.1, 1], samples: [{ labels: { verb: "GET" }, counts: [1, 2], sum: 0.6, count: 3 }] },
      { name: "empty_total", help: "never seen", type: "counter", samples: [] },
    ]);
    expect(text).toBe(
      [
        "# HELP a_seconds A.",
        "# TYPE a_seconds histogram",
        'a_seconds_bucket{verb="GET",le="0.1"} 1',
        'a_seconds_bucket{verb="GET",le="1"} 2',
        'a_seconds_bucket{verb="GET",le="+Inf"} 3',
        'a_seconds_sum{verb="GET"} 0.6',
        'a_seconds_count{verb="GET"} 3',
        "# HELP z_gauge Z.",
        "# TYPE z_gauge gauge",
        'z_gauge{a="x",b="say \\"hi\\""} 2',
        "",
      ].join("\n"),
    );
  });
});
