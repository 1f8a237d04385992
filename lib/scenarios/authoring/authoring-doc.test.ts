import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { toolsSkipReason } from "@/lib/testing/required-tools";
import { checks } from "../checks";
import type { ScenarioContext } from "../context";
import { faults } from "../faults";
import { startSimLab, type SimLab } from "../testdata/sim-lab";
import { exampleModule, extractTsExamples, interfaceMembers, typecheckExamples } from "./doc-examples";

/** docs/authoring.md: every SDK function has an example, every example type-checks, the sim ones run. */

const PAGE = "docs/authoring.md";
const markdown = fs.readFileSync(path.join(process.cwd(), PAGE), "utf8");
const examples = extractTsExamples(markdown);
const headings = markdown.split("\n").filter((l) => l.startsWith("#"));
const hasKubectl = toolsSkipReason({ suite: "authoring-doc.test.ts", tools: ["kubectl"] }) === null;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-doc-examples-"));
let lab: SimLab | undefined;
afterAll(async () => {
  await lab?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe(PAGE, () => {
  it("documents every checks.*, faults.* and ctx.* of the SDK under its own heading", () => {
    const missing = [
      ...Object.keys(checks).map((k) => `checks.${k}`),
      ...Object.keys(faults).map((k) => `faults.${k}`),
      ...interfaceMembers(path.join(process.cwd(), "lib/scenarios/context.ts"), "ScenarioContext").map((k) => `ctx.${k}`),
      ...interfaceMembers(path.join(process.cwd(), "lib/scenarios/context.ts"), "NodeHandle")
        .filter((k) => k !== "name")
        .map((k) => `\`${k}\``),
    ].filter((name) => !headings.some((h) => h.includes(name)));
    expect(missing).toEqual([]);
  });

  it("has an example after every SDK heading", () => {
    const lines = markdown.split("\n");
    const sdk = lines.map((l, i) => ({ l, i })).filter(({ l }) => /^### `(checks|faults|ctx)\./.test(l));
    const bare = sdk.filter(({ i }) => {
      const next = lines.slice(i + 1).findIndex((l) => l.startsWith("#"));
      const section = lines.slice(i + 1, next < 0 ? undefined : i + 1 + next);
      return !section.some((l) => /^```ts/.test(l));
    });
    expect(bare.map(({ l }) => l)).toEqual([]);
  });

  it("type-checks every ts example with the project's tsconfig", () => {
    expect(examples.length).toBeGreaterThanOrEqual(30);
    expect(typecheckExamples(examples, PAGE, process.cwd())).toEqual([]);
  }, 120_000);

  it("reports a wrong example at its line in the page", () => {
    const bad = extractTsExamples("# x\n\n```ts\nawait checks.nodesReady(3)(ctx);\n```\n");
    expect(typecheckExamples(bad, "docs/x.md", process.cwd())).toEqual([expect.stringMatching(/^docs\/x\.md:4:\d+: Expected 0 arguments, but got 1\./)]);
  }, 120_000);

  it.skipIf(!hasKubectl)(
    "runs the examples marked sim, in order, against one sim cluster",
    async () => {
      const sim = examples.filter((e) => e.tags.includes("sim"));
      expect(sim.length).toBeGreaterThanOrEqual(15);
      lab = await startSimLab({ name: "doc", workers: 0 });
      for (const e of sim) {
        const file = path.join(tmp, `example-${e.line}.ts`);
        fs.writeFileSync(file, exampleModule(e).text);
        const mod = (await import(/* @vite-ignore */ file)) as { default: (ctx: ScenarioContext) => Promise<void> };
        await expect(mod.default(lab.ctx), `${PAGE}:${e.line}`).resolves.toBeUndefined();
      }
    },
    300_000,
  );
});
