import { describe, expect, it } from "vitest";
import {
  FRAME,
  MAX_FRAME_BYTES,
  ProtocolError,
  decodeClientMessage,
  decodeServerMessage,
  encodeClientMessage,
  encodeServerMessage,
  inputFrames,
  outputFrames,
} from "./protocol";

const json = (type: number, value: unknown) => new Uint8Array([type, ...new TextEncoder().encode(JSON.stringify(value))]);

describe("terminal protocol", () => {
  it("round-trips every client message", () => {
    const input = { type: "input" as const, data: new Uint8Array([0x03, 0xe2, 0x82, 0xac, 0]) };
    expect(decodeClientMessage(encodeClientMessage(input))).toEqual(input);
    for (const m of [{ type: "resize", cols: 120, rows: 40 }, { type: "ack", bytes: 65536 }, { type: "ping", t: 1234.5 }] as const) {
      expect(decodeClientMessage(encodeClientMessage(m))).toEqual(m);
    }
  });

  it("round-trips every server message", () => {
    const out = { type: "output" as const, data: new Uint8Array([0x1b, 0x5b, 0x48, 0xff]) };
    expect(decodeServerMessage(encodeServerMessage(out))).toEqual(out);
    for (const m of [{ type: "exit", code: 130 }, { type: "exit", code: -1, reason: "signal 9" }, { type: "error", message: "lab ended" }, { type: "pong", t: 7 }] as const) {
      expect(decodeServerMessage(encodeServerMessage(m))).toEqual(m);
    }
  });

  it("puts raw bytes after a one-byte type, with no JSON around input and output", () => {
    expect([...encodeClientMessage({ type: "input", data: new TextEncoder().encode("ls\r") })]).toEqual([FRAME.input, 0x6c, 0x73, 0x0d]);
    expect(encodeServerMessage({ type: "output", data: new Uint8Array(10) }).byteLength).toBe(11);
  });

  it("accepts ArrayBuffer and Buffer views at an offset", () => {
    const frame = encodeClientMessage({ type: "resize", cols: 80, rows: 24 });
    const padded = new Uint8Array(frame.byteLength + 3);
    padded.set(frame, 3);
    expect(decodeClientMessage(padded.subarray(3))).toEqual({ type: "resize", cols: 80, rows: 24 });
    expect(decodeClientMessage(frame.slice().buffer)).toEqual({ type: "resize", cols: 80, rows: 24 });
    expect(decodeClientMessage(Buffer.from(frame))).toEqual({ type: "resize", cols: 80, rows: 24 });
  });

  it.each([
    ["an empty frame", new Uint8Array(0), /empty frame/],
    ["an unknown type", new Uint8Array([0x7f, 1]), /unknown client frame type 0x7f/],
    ["a server type sent by a client", new Uint8Array([FRAME.output, 1]), /unknown client frame type 0x81/],
    ["resize that is not JSON", new Uint8Array([FRAME.resize, 0x7b]), /resize frame: payload is not UTF-8 JSON/],
    ["resize with invalid UTF-8", new Uint8Array([FRAME.resize, 0xff, 0xfe]), /not UTF-8 JSON/],
    ["resize with zero columns", json(FRAME.resize, { cols: 0, rows: 24 }), /resize frame: cols:/],
    ["resize with fractional rows", json(FRAME.resize, { cols: 80, rows: 2.5 }), /resize frame: rows:/],
    ["resize with an absurd size", json(FRAME.resize, { cols: 100000, rows: 24 }), /resize frame: cols:/],
    ["resize with extra fields", json(FRAME.resize, { cols: 80, rows: 24, shell: "/bin/sh" }), /resize frame/],
    ["resize as a string", json(FRAME.resize, "80x24"), /resize frame: payload/],
    ["ack with negative bytes", json(FRAME.ack, { bytes: -5 }), /ack frame: bytes:/],
    ["ack without bytes", json(FRAME.ack, {}), /ack frame: bytes:/],
    ["ping with a string time", json(FRAME.ping, { t: "now" }), /ping frame: t:/],
    ["a frame over the size limit", new Uint8Array(MAX_FRAME_BYTES + 2).fill(FRAME.input, 0, 1), /over the 65536-byte limit/],
  ])("rejects %s with a ProtocolError that says what is wrong", (_name, frame, message) => {
    expect(() => decodeClientMessage(frame)).toThrow(ProtocolError);
    expect(() => decodeClientMessage(frame)).toThrow(message);
  });

  it("rejects malformed server control frames", () => {
    expect(() => decodeServerMessage(json(FRAME.exit, { code: "0" }))).toThrow(/exit frame: code:/);
    expect(() => decodeServerMessage(json(FRAME.error, {}))).toThrow(/error frame: message:/);
    expect(() => decodeServerMessage(new Uint8Array([FRAME.input]))).toThrow(/unknown server frame type 0x01/);
  });

  it("splits big output and pastes into frames within the limit, losing nothing", () => {
    const data = new Uint8Array(MAX_FRAME_BYTES * 2 + 10).map((_, i) => i % 251);
    for (const gen of [outputFrames, inputFrames]) {
      const frames = [...gen(data)];
      expect(frames).toHaveLength(3);
      expect(frames.every((f) => f.byteLength <= MAX_FRAME_BYTES + 1)).toBe(true);
      const back = frames.map((f) => f.subarray(1));
      expect(Buffer.concat(back).equals(Buffer.from(data))).toBe(true);
    }
  });
});
