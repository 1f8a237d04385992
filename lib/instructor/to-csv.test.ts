import { describe, expect, it } from "vitest";
import { toCsv } from "./to-csv";

describe("toCsv", () => {
  it("writes a header and rows, each line ended by CRLF", () => {
    expect(toCsv(["a", "b"], [["x", 1], ["y", 2]])).toBe("a,b\r\nx,1\r\ny,2\r\n");
  });

  it("quotes fields with a comma, a quote, CR or LF and doubles the quotes inside (RFC 4180)", () => {
    expect(toCsv(["v"], [["a,b"], ['say "hi"'], ["two\nlines"], ["cr\rhere"]])).toBe(
      'v\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n"cr\rhere"\r\n',
    );
  });

  it("defuses text a spreadsheet would run as a formula with a leading quote", () => {
    const out = toCsv(["v"], [["=HYPERLINK(\"http://x\")"], ["+1"], ["-2"], ["@SUM(A1)"], ["\tx"], ["\rx"], ["a=b"]]);
    expect(out.split("\r\n").slice(1, -1)).toEqual([`"'=HYPERLINK(""http://x"")"`, "'+1", "'-2", "'@SUM(A1)", "'\tx", `"'\rx"`, "a=b"]);
  });

  it("keeps numbers as numbers (a negative one is not a formula), and writes times, yes/no and empty cells plainly", () => {
    expect(toCsv(["n", "t", "b", "e"], [[-3, new Date("2026-12-01T10:00:00.000Z"), true, null]])).toBe(
      "n,t,b,e\r\n-3,2026-12-01T10:00:00.000Z,true,\r\n",
    );
  });
});
