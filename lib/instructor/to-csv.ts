/** A CSV cell as given: text, a number, a yes/no, a time, or nothing. */
export type CsvValue = string | number | boolean | Date | null | undefined;

/**
 * Spreadsheets run a cell that starts with one of these as a formula (`=HYPERLINK(...)`, `@SUM`),
 * and learner-controlled text (names, check messages) reaches the export: such a cell gets a
 * leading `'`, which spreadsheets show as text. Tab and CR are on OWASP's list for the same reason.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function text(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "boolean") return value ? "true" : "false";
  return String(value);
}

function field(value: CsvValue): string {
  let s = text(value);
  // Numbers are ours, never formulas: a negative number stays a number.
  if (typeof value !== "number" && FORMULA_START.test(s)) s = `'${s}`;
  // RFC 4180: a field with a comma, quote, CR or LF is quoted, and its quotes doubled.
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * RFC 4180 CSV: a header line, then one line per row, every line ended by CRLF.
 *
 * @example
 * toCsv(["pack", "attempts"], [["etcd-crashloop", 3]]) // "pack,attempts\r\netcd-crashloop,3\r\n"
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => `${row.map(field).join(",")}\r\n`).join("");
}
