import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { locateInPack } from "./locate-in-pack";
import { packFieldLocator } from "./locate-problems";

const SOURCE = `import { defineScenario } from "@/lib/scenarios/define-scenario";
const shared = [{ id: "a", title: "A" }];
export default defineScenario({
  id: "x",
  variants: [...shared, { id: "Bad", title: "B" }],
  checks: [
    checks.stays({ id: "held", title: "Held", points: 1, run }, 10),
    { id: "two", title: "Two", points: "3", run },
  ],
  async setup(ctx) {},
  hints: HINTS,
});
`;

describe("locateInPack", () => {
  it("finds a nested field of the defineScenario literal, at its key", () => {
    expect(locateInPack(SOURCE, ["checks", 1, "points"])).toEqual({
      line: 8,
      col: 32,
      snippet: '  8 |     { id: "two", title: "Two", points: "3", run },\n    |                                ^^^^^^^^^^^',
    });
  });

  it("looks through a wrapping call such as checks.stays({...})", () => {
    expect(locateInPack(SOURCE, ["checks", 0, "title"])).toMatchObject({ line: 7, col: 32 });
  });

  it("stops at the deepest part in the literal: a method, a value held elsewhere, an array behind a spread", () => {
    expect(locateInPack(SOURCE, ["setup"])).toMatchObject({ line: 10, col: 3 });
    expect(locateInPack(SOURCE, ["hints", 0, "text"])).toMatchObject({ line: 11, col: 3 });
    expect(locateInPack(SOURCE, ["variants", 1, "id"])).toMatchObject({ line: 5, col: 3 });
  });

  it("gives nothing for a file without a defineScenario literal", () => {
    expect(locateInPack("export default {};", ["id"])).toBeUndefined();
  });
});

describe("packFieldLocator", () => {
  it("names a registered pack's field as file:line:col → field", () => {
    const dir = path.join(process.cwd(), "scenarios");
    const lines = fs.readFileSync(path.join(dir, "hello-pod", "scenario.ts"), "utf8").split("\n");
    const line = lines.findIndex((l) => l.includes('id: "web-runs-nginx"'));
    // The check's object literal opens on the line before its id.
    expect(packFieldLocator(dir, "hello-pod")(["checks", 0])).toBe(`scenarios/hello-pod/scenario.ts:${line}:5 → checks.0`);
    expect(packFieldLocator(dir, "no-such-pack")(["checks", 0])).toBe("scenarios/no-such-pack/scenario.ts → checks.0");
  });
});
