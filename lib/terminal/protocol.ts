import { z } from "zod";

/**
 * The terminal WebSocket protocol. Every message is one binary frame: a one-byte type, then the
 * payload. Input and output carry raw terminal bytes (no JSON, no base64, so a flood costs what it
 * weighs); every control message carries a small JSON object validated by zod on receipt.
 *
 * Client → server
 *   0x01 input   raw bytes typed or pasted by the learner
 *   0x02 resize  {"cols": 1..1000, "rows": 1..1000}
 *   0x03 ack     {"bytes": n}  output bytes the client has rendered since its last ack (flow control)
 *   0x04 ping    {"t": number} answered by pong with the same t (liveness, round-trip time)
 *
 * Server → client
 *   0x81 output  raw bytes from the pty
 *   0x82 exit    {"code": number, "reason"?: string}  the shell ended; the socket closes after it
 *   0x83 error   {"message": string}  something the learner should read; the socket may stay open
 *   0x84 pong    {"t": number}
 *
 * Flow control: the server pauses the pty when more than HIGH_WATERMARK output bytes are
 * unacknowledged and resumes it below LOW_WATERMARK, so a flood (`yes`) cannot fill memory on
 * either side and Ctrl-C still reaches the shell promptly.
 *
 * Pure: runs in the browser and in Node (Uint8Array, TextEncoder), no Node or React imports.
 */
export const FRAME = {
  input: 0x01,
  resize: 0x02,
  ack: 0x03,
  ping: 0x04,
  output: 0x81,
  exit: 0x82,
  error: 0x83,
  pong: 0x84,
} as const;

/** WebSocket close codes the server uses; the client decides from them whether to reconnect. */
export const CLOSE = {
  /** Normal close after an exit frame: the shell ended. */
  exited: 4001,
  /** Another window attached to the same terminal. */
  replaced: 4002,
  /** No input for the idle timeout; the shell was ended. */
  idle: 4003,
  /** The lab ended, or the terminal was closed by the server. */
  ended: 4004,
  /** The client broke the protocol. */
  protocol: 1008,
  /** The server is shutting down. */
  shutdown: 1001,
} as const;

export const HIGH_WATERMARK = 100_000;
export const LOW_WATERMARK = 25_000;
/** Clients ack at least this often (in bytes) so the server never stalls on an idle ack. */
export const ACK_EVERY_BYTES = 16_384;
/** Largest frame either side accepts (a paste is split by the client into frames this size). */
export const MAX_FRAME_BYTES = 64 * 1024;

export const resizeSchema = z.strictObject({
  cols: z.number().int().min(1).max(1000),
  rows: z.number().int().min(1).max(1000),
});
export const ackSchema = z.strictObject({ bytes: z.number().int().min(0).max(1 << 30) });
export const pingSchema = z.strictObject({ t: z.number().finite() });
export const exitSchema = z.strictObject({ code: z.number().int(), reason: z.string().max(200).optional() });
export const errorSchema = z.strictObject({ message: z.string().max(2000) });

export type ClientMessage =
  | { type: "input"; data: Uint8Array }
  | ({ type: "resize" } & z.infer<typeof resizeSchema>)
  | ({ type: "ack" } & z.infer<typeof ackSchema>)
  | ({ type: "ping" } & z.infer<typeof pingSchema>);

export type ServerMessage =
  | { type: "output"; data: Uint8Array }
  | ({ type: "exit" } & z.infer<typeof exitSchema>)
  | ({ type: "error" } & z.infer<typeof errorSchema>)
  | ({ type: "pong" } & z.infer<typeof pingSchema>);

/** A frame that does not follow the protocol. The server answers it with an error frame. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

function frame(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.byteLength + 1);
  out[0] = type;
  out.set(payload, 1);
  return out;
}

function jsonFrame(type: number, value: object): Uint8Array {
  return frame(type, encoder.encode(JSON.stringify(value)));
}

function parseJson<T>(schema: z.ZodType<T>, payload: Uint8Array, name: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(payload));
  } catch {
    throw new ProtocolError(`${name} frame: payload is not UTF-8 JSON`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join(".") : "payload";
    throw new ProtocolError(`${name} frame: ${where}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

function view(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

function split(data: ArrayBuffer | ArrayBufferView): { type: number; payload: Uint8Array } {
  const bytes = view(data);
  if (bytes.byteLength === 0) throw new ProtocolError("empty frame");
  if (bytes.byteLength > MAX_FRAME_BYTES + 1) throw new ProtocolError(`frame of ${bytes.byteLength} bytes is over the ${MAX_FRAME_BYTES}-byte limit`);
  return { type: bytes[0]!, payload: bytes.subarray(1) };
}

export function encodeClientMessage(msg: ClientMessage): Uint8Array {
  switch (msg.type) {
    case "input":
      return frame(FRAME.input, msg.data);
    case "resize":
      return jsonFrame(FRAME.resize, { cols: msg.cols, rows: msg.rows });
    case "ack":
      return jsonFrame(FRAME.ack, { bytes: msg.bytes });
    case "ping":
      return jsonFrame(FRAME.ping, { t: msg.t });
  }
}

/** Decodes and validates one client frame; throws ProtocolError naming what is wrong. */
export function decodeClientMessage(data: ArrayBuffer | ArrayBufferView): ClientMessage {
  const { type, payload } = split(data);
  switch (type) {
    case FRAME.input:
      return { type: "input", data: payload };
    case FRAME.resize:
      return { type: "resize", ...parseJson(resizeSchema, payload, "resize") };
    case FRAME.ack:
      return { type: "ack", ...parseJson(ackSchema, payload, "ack") };
    case FRAME.ping:
      return { type: "ping", ...parseJson(pingSchema, payload, "ping") };
    default:
      throw new ProtocolError(`unknown client frame type 0x${type.toString(16).padStart(2, "0")}`);
  }
}

export function encodeServerMessage(msg: ServerMessage): Uint8Array {
  switch (msg.type) {
    case "output":
      return frame(FRAME.output, msg.data);
    case "exit":
      return jsonFrame(FRAME.exit, msg.reason === undefined ? { code: msg.code } : { code: msg.code, reason: msg.reason });
    case "error":
      return jsonFrame(FRAME.error, { message: msg.message });
    case "pong":
      return jsonFrame(FRAME.pong, { t: msg.t });
  }
}

/** Decodes and validates one server frame (used by the browser client and by tests). */
export function decodeServerMessage(data: ArrayBuffer | ArrayBufferView): ServerMessage {
  const bytes = view(data);
  if (bytes.byteLength === 0) throw new ProtocolError("empty frame");
  const type = bytes[0]!;
  const payload = bytes.subarray(1);
  switch (type) {
    case FRAME.output:
      return { type: "output", data: payload };
    case FRAME.exit:
      return { type: "exit", ...parseJson(exitSchema, payload, "exit") };
    case FRAME.error:
      return { type: "error", ...parseJson(errorSchema, payload, "error") };
    case FRAME.pong:
      return { type: "pong", ...parseJson(pingSchema, payload, "pong") };
    default:
      throw new ProtocolError(`unknown server frame type 0x${type.toString(16).padStart(2, "0")}`);
  }
}

/** Output frames for a chunk of any size, each within MAX_FRAME_BYTES. */
export function* outputFrames(data: Uint8Array): Generator<Uint8Array> {
  for (let i = 0; i < data.byteLength; i += MAX_FRAME_BYTES) {
    yield encodeServerMessage({ type: "output", data: data.subarray(i, i + MAX_FRAME_BYTES) });
  }
}

/** Input frames for a paste of any size, each within MAX_FRAME_BYTES. */
export function* inputFrames(data: Uint8Array): Generator<Uint8Array> {
  for (let i = 0; i < data.byteLength; i += MAX_FRAME_BYTES) {
    yield encodeClientMessage({ type: "input", data: data.subarray(i, i + MAX_FRAME_BYTES) });
  }
}
