/**
 * resource.Quantity as k8s.io/apimachinery handles it: parsed exactly (to nano units, rounding
 * finer values up as Go does), added and compared without floating point, and printed in the
 * canonical form the apiserver serialises ("1024Mi" → "1Gi", "1000m" → "1", "0.5" → "500m").
 * Admission messages ("maximum cpu usage per Container is 500m, but limit is 1") and quota
 * columns ("requests.memory: 256Mi/1Gi") print quantities this way.
 */

export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

export interface Quantity {
  /** The exact value times 10^9. */
  nanos: bigint;
  format: QuantityFormat;
  /** Go's int64Amount and cached string after parsing, for the `%#v` form validation errors print. */
  parsed?: { value: bigint; scale: number; s: string };
}

/** The apiserver's decode error for a malformed quantity (ErrFormatWrong). */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

const NANO = 1_000_000_000n;
const DEC_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BIN_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DEC_BY_EXP = new Map(Object.entries(DEC_SUFFIX).map(([k, v]) => [v, k]));
const BIN_NAMES = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

export class QuantityError extends Error {}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** Divides rounding away from zero (Go rounds sub-nano precision up). */
function divUp(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b === a ? q : a > 0n ? q + 1n : q - 1n;
}

/** resource.ParseQuantity; throws QuantityError with Go's message. */
export function parseQuantity(input: string | number): Quantity {
  const str = typeof input === "number" ? String(input) : input.trim();
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(str);
  if (!str || !m || (!m[2] && !m[3])) throw new QuantityError(QUANTITY_FORMAT_ERROR);
  const sign = m[1] === "-" ? -1n : 1n;
  const num = m[2] ?? "";
  const denom = m[3] ?? "";
  const suffix = m[4] ?? "";
  if (!/^[eEinumkKMGTP]*[-+]?[0-9]*$/.test(suffix)) throw new QuantityError(QUANTITY_FORMAT_ERROR);
  let format: QuantityFormat;
  let base = 10;
  let exponent: number;
  if (suffix in DEC_SUFFIX) {
    format = "DecimalSI";
    exponent = DEC_SUFFIX[suffix]!;
  } else if (suffix in BIN_SUFFIX) {
    format = "BinarySI";
    base = 2;
    exponent = BIN_SUFFIX[suffix]!;
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    format = "DecimalExponent";
    exponent = Number(suffix.slice(1));
  } else throw new QuantityError(QUANTITY_SUFFIX_ERROR);
  const digits = BigInt(`${num}${denom}` || "0");
  let nanos: bigint;
  if (base === 2) nanos = divUp(digits * (1n << BigInt(exponent)) * NANO, pow10(denom.length));
  else {
    const scale = exponent - denom.length + 9;
    nanos = scale >= 0 ? digits * pow10(scale) : divUp(digits, pow10(-scale));
  }
  nanos *= sign;
  if (format === "BinarySI" && nanos !== 0n && nanos < NANO && nanos > -NANO) format = "DecimalSI";
  return { nanos, format, parsed: goParsed(str, sign, num, denom, base, exponent, format) };
}

/** The int64Amount fast path of ParseQuantity, and whether it kept the input as its canonical string. */
function goParsed(str: string, sign: bigint, num: string, denom: string, base: number, exponent: number, format: QuantityFormat): Quantity["parsed"] {
  const shifted = `${num}${denom}`;
  if (base === 2) {
    if (denom.length) return undefined;
    const value = BigInt(num || "0");
    return { value: sign * (value << BigInt(exponent)), scale: 0, s: exponent % 10 === 0 && (value & 7n) !== 0n ? str : "" };
  }
  if (num.length + denom.length > 18) return undefined;
  const scale = exponent - denom.length;
  if (scale < -9) return undefined;
  const value = sign * BigInt(shifted || "0");
  const canonical = format !== "BinarySI" && scale % 3 === 0 && !shifted.endsWith("000") && shifted[0] !== "0";
  return { value, scale, s: canonical ? str : "" };
}

export function isQuantity(v: unknown): boolean {
  if (typeof v !== "string" && typeof v !== "number") return false;
  try {
    parseQuantity(v);
    return true;
  } catch {
    return false;
  }
}

/** Quantity.String(): the canonical form. */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return "0";
  let format = q.format;
  if (format === "BinarySI" && (q.nanos % NANO !== 0n || (q.nanos < 1024n * NANO && q.nanos > -1024n * NANO))) format = "DecimalSI";
  if (format === "BinarySI") {
    let n = q.nanos / NANO;
    let k = 0;
    while (k < 6 && n % 1024n === 0n) {
      n /= 1024n;
      k++;
    }
    return `${n}${BIN_NAMES[k]}`;
  }
  let mantissa = q.nanos;
  let exp = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exp++;
  }
  const r = exp % 3;
  if (r === 1 || r === -2) {
    mantissa *= 10n;
    exp -= 1;
  } else if (r === 2 || r === -1) {
    mantissa *= 100n;
    exp -= 2;
  }
  if (format === "DecimalSI" && DEC_BY_EXP.has(exp)) return `${mantissa}${DEC_BY_EXP.get(exp)}`;
  return exp === 0 ? String(mantissa) : `${mantissa}e${exp}`;
}

/** Canonical form of a quantity string, or the input unchanged when it does not parse. */
export function canonicalQuantity(v: string | number): string {
  try {
    return formatQuantity(parseQuantity(v));
  } catch {
    return String(v);
  }
}

/** Quantity.Add: the receiver's format wins unless it is zero. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

export function compareQuantities(a: Quantity, b: Quantity): number {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

export function countQuantity(n: number): Quantity {
  return { nanos: BigInt(n) * NANO, format: "DecimalSI" };
}

export function zeroQuantity(): Quantity {
  return { nanos: 0n, format: "DecimalSI" };
}

/** Value in milli-units (Quantity.MilliValue, rounded up). */
export function milliValue(q: Quantity): bigint {
  return divUp(q.nanos, 1_000_000n);
}

/**
 * The `%#v` form field errors print for a Quantity bad value, e.g.
 * `resource.Quantity{i:resource.int64Amount{value:2, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"2", Format:"DecimalSI"}`.
 */
export function goQuantityRepr(q: Quantity): string {
  const p = q.parsed ?? { value: q.nanos, scale: -9, s: "" };
  return `resource.Quantity{i:resource.int64Amount{value:${p.value}, scale:${p.scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:${JSON.stringify(p.s)}, Format:"${q.format}"}`;
}
