import { badRequest, StatusError } from "../store/status-error";
import { KEEP_ZERO, PROTO_MESSAGES, type FieldSpec } from "./protobuf-schema";

/**
 * Decodes the Kubernetes protobuf envelope (`k8s\0` + runtime.Unknown) that kubectl's typed
 * clients send, into the same JSON object the apiserver would decode it to. Only the messages
 * in protobuf-schema.ts are known; anything else fails with 415, naming the field, so a gap is
 * visible rather than silently dropped.
 */

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface RawField {
  no: number;
  wire: number;
  /** varint / fixed value */
  num?: bigint;
  bytes?: Buffer;
}

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw badRequest("protobuf: truncated varint");
    const b = buf[pos++]!;
    result |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return [result, pos];
    shift += 7n;
    if (shift > 70n) throw badRequest("protobuf: varint too long");
  }
}

function readFields(buf: Buffer): RawField[] {
  const out: RawField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = readVarint(buf, pos);
    pos = p1;
    const no = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) {
      const [v, p2] = readVarint(buf, pos);
      pos = p2;
      out.push({ no, wire, num: v });
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos);
      const end = p2 + Number(len);
      if (end > buf.length) throw badRequest("protobuf: truncated field");
      out.push({ no, wire, bytes: buf.subarray(p2, end) });
      pos = end;
    } else if (wire === 1) {
      out.push({ no, wire, num: buf.readBigUInt64LE(pos) });
      pos += 8;
    } else if (wire === 5) {
      out.push({ no, wire, num: BigInt(buf.readUInt32LE(pos)) });
      pos += 4;
    } else throw badRequest(`protobuf: unsupported wire type ${wire}`);
  }
  return out;
}

function unsupported(message: string, no: number): StatusError {
  return new StatusError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `the simulated cluster cannot decode protobuf field ${message}.${no}; send JSON instead (e.g. kubectl apply -f)`,
    reason: "UnsupportedMediaType",
    code: 415,
  });
}

function signed(v: bigint, bits: 32 | 64): number {
  return Number(BigInt.asIntN(bits, v));
}

function strMap(entries: Buffer[], value: "string" | "bytes" | "quantity"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    let k = "";
    let v = "";
    for (const f of readFields(e)) {
      if (f.no === 1) k = f.bytes?.toString("utf8") ?? "";
      if (f.no === 2) {
        if (value === "bytes") v = (f.bytes ?? Buffer.alloc(0)).toString("base64");
        else if (value === "quantity") v = quantity(f.bytes ?? Buffer.alloc(0));
        else v = f.bytes?.toString("utf8") ?? "";
      }
    }
    out[k] = v;
  }
  return out;
}

function quantity(b: Buffer): string {
  const f = readFields(b).find((x) => x.no === 1);
  return f?.bytes?.toString("utf8") ?? "0";
}

function time(b: Buffer): string | null {
  let seconds = 0n;
  for (const f of readFields(b)) if (f.no === 1) seconds = f.num ?? 0n;
  if (seconds === 0n) return null;
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function intOrString(b: Buffer): number | string {
  let type = 0;
  let intVal = 0;
  let strVal = "";
  for (const f of readFields(b)) {
    if (f.no === 1) type = Number(f.num ?? 0n);
    if (f.no === 2) intVal = signed(f.num ?? 0n, 32);
    if (f.no === 3) strVal = f.bytes?.toString("utf8") ?? "";
  }
  return type === 1 ? strVal : intVal;
}

function scalar(spec: FieldSpec, f: RawField): Json | undefined {
  const [, type] = spec;
  switch (type) {
    case "string":
      return f.bytes?.toString("utf8") ?? "";
    case "bytes":
      return (f.bytes ?? Buffer.alloc(0)).toString("base64");
    case "int32":
      return signed(f.num ?? 0n, 32);
    case "int64":
      return signed(f.num ?? 0n, 64);
    case "bool":
      return (f.num ?? 0n) !== 0n;
    case "double":
      return f.num === undefined ? 0 : Buffer.from(f.num.toString(16).padStart(16, "0"), "hex").reverse().readDoubleLE(0);
    case "Time":
      return time(f.bytes ?? Buffer.alloc(0));
    case "IntOrString":
      return intOrString(f.bytes ?? Buffer.alloc(0));
    case "Quantity":
      return quantity(f.bytes ?? Buffer.alloc(0));
  }
  return undefined;
}

function isZero(v: Json | undefined): boolean {
  return v === "" || v === 0 || v === false || v === null || v === undefined;
}

/** Decodes one message by name. */
export function decodeMessage(name: string, buf: Buffer): Record<string, Json> {
  // Status and other server-owned parts: their content is ignored on write anyway.
  if (name === "Empty") return {};
  const schema = PROTO_MESSAGES[name];
  if (!schema) throw unsupported(name, 0);
  const out: Record<string, Json> = {};
  const maps = new Map<number, Buffer[]>();
  for (const f of readFields(buf)) {
    const spec = schema[f.no];
    if (!spec) throw unsupported(name, f.no);
    const [json, type, repeated] = spec;
    if (type === "Skip") continue;
    if (type === "Unsupported") throw unsupported(`${name}.${json}`, f.no);
    if (type === "map" || type === "bytesMap" || type === "quantityMap") {
      const list = maps.get(f.no) ?? [];
      list.push(f.bytes ?? Buffer.alloc(0));
      maps.set(f.no, list);
      continue;
    }
    let value: Json | undefined = scalar(spec, f);
    if (value === undefined) value = decodeMessage(type, f.bytes ?? Buffer.alloc(0));
    if (repeated) {
      const arr = (out[json] as Json[] | undefined) ?? [];
      arr.push(value);
      out[json] = arr;
    } else if (!(isZero(value) && !KEEP_ZERO.has(json) && type !== "Time")) {
      out[json] = value;
    } else if (type === "Time") out[json] = value;
  }
  for (const [no, entries] of maps) {
    const [json, type] = schema[no]!;
    out[json] = strMap(entries, type === "bytesMap" ? "bytes" : type === "quantityMap" ? "quantity" : "string");
  }
  return out;
}

/** Decodes a `k8s\0`-prefixed request body into a JSON object with apiVersion and kind. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, Json> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw badRequest("protobuf: missing k8s envelope");
  let apiVersion = "";
  let kind = "";
  let raw: Buffer = Buffer.alloc(0);
  for (const f of readFields(body.subarray(4))) {
    if (f.no === 1 && f.bytes) {
      for (const t of readFields(f.bytes)) {
        if (t.no === 1) apiVersion = t.bytes?.toString("utf8") ?? "";
        if (t.no === 2) kind = t.bytes?.toString("utf8") ?? "";
      }
    }
    if (f.no === 2 && f.bytes) raw = f.bytes;
  }
  if (!kind) throw badRequest("Object 'Kind' is missing in protobuf envelope");
  // A kind whose messages differ between versions (HorizontalPodAutoscaler) is keyed by version.
  const obj = decodeMessage(PROTO_MESSAGES[`${apiVersion}/${kind}`] ? `${apiVersion}/${kind}` : kind, raw);
  return { apiVersion, kind, ...obj };
}
