import { describe, expect, it } from "vitest";
import { parseAsciicast, replayDelays } from "./parse-asciicast";

describe("asciicast v2 replay", () => {
  it("keeps output events in order and skips input, resize and malformed lines", () => {
    const cast = [
      JSON.stringify({ version: 2, width: 100, height: 30, timestamp: 1 }),
      JSON.stringify([0.1, "o", "$ "]),
      JSON.stringify([0.5, "i", "k"]),
      "not json",
      JSON.stringify([0.9, "r", "80x24"]),
      JSON.stringify([1.2, "o", "kubectl get pods\r\n"]),
      "",
    ].join("\n");
    expect(parseAsciicast(cast)).toEqual({ width: 100, height: 30, frames: [[0.1, "$ "], [1.2, "kubectl get pods\r\n"]] });
  });

  it("refuses a file that is not asciicast v2", () => {
    expect(() => parseAsciicast(JSON.stringify({ version: 1 }))).toThrow(/not an asciicast v2/);
  });

  it("caps idle gaps so a long think does not stall the replay, and applies the speed", () => {
    expect(replayDelays([[0.2, "a"], [10, "b"], [10.5, "c"]], 1, 2)).toEqual([100, 500, 250]);
  });
});
