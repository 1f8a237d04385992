export type JsonObject = Record<string, unknown>;

/** A value as a plain object, or {} when it is missing, an array or a scalar (as Go's decoding into a struct would leave it). */
export function asObject(v: unknown): JsonObject {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject) : {};
}
