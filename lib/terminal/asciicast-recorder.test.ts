import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AsciicastWriter } from "./asciicast-recorder";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-cast-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const read = (file: string) => {
  const [header, ...events] = fs.readFileSync(file, "utf8").trimEnd().split("\n");
  return { header: JSON.parse(header!) as Record<string, unknown>, events: events.map((l) => JSON.parse(l) as [number, string, string]) };
};

describe("AsciicastWriter", () => {
  it("writes a v2 header and o/i/r events, joining a UTF-8 character split across reads", async () => {
    const file = path.join(dir, "a.cast");
    const w = new AsciicastWriter(file, { cols: 80, rows: 24, title: "t" }, { maxBytes: 1e6, maxQueuedBytes: 1e6 });
    const euro = Buffer.from("€", "utf8");
    w.input(Buffer.from("ls\r"));
    w.output(Buffer.concat([Buffer.from("a"), euro.subarray(0, 1)]));
    w.output(Buffer.concat([euro.subarray(1), Buffer.from("b")]));
    w.resize(100, 30);
    await w.close();
    const { header, events } = read(file);
    expect(header).toMatchObject({ version: 2, width: 80, height: 24, title: "t" });
    expect(events.map(([, code, data]) => [code, data])).toEqual([
      ["i", "ls\r"],
      ["o", "a"],
      ["o", "€b"],
      ["r", "100x30"],
    ]);
    expect(w.bytes).toBe(fs.statSync(file).size);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("stops at the size limit with a marker instead of growing without bound", async () => {
    const file = path.join(dir, "b.cast");
    const w = new AsciicastWriter(file, { cols: 80, rows: 24, title: "t" }, { maxBytes: 10_000, maxQueuedBytes: 1e6 });
    for (let i = 0; i < 1000; i++) w.output(Buffer.from("y\r\n".repeat(30)));
    await w.close();
    const { events } = read(file);
    expect(fs.statSync(file).size).toBeLessThan(10_000 + 200);
    expect(events.at(-1)).toEqual([expect.any(Number), "m", "recording stopped: size limit reached"]);
    expect(events.filter((e) => e[1] === "m")).toHaveLength(1);
  });
});
