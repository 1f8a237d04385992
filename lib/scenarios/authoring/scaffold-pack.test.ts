import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { createSimDriver } from "@/lib/cluster/sim/sim-driver";
import { selfTestPack } from "@/lib/packs/run-scenario-test-cli";
import { toolsSkipReason } from "@/lib/testing/required-tools";
import { formatProblem, loadScenarios } from "../load-scenarios";
import { formatSelfTestTable } from "../self-test/format-self-test-table";
import { typecheckExamples } from "./doc-examples";
import { locateProblems } from "./locate-problems";
import { registerInIndex, scaffoldPack } from "./scaffold-pack";

/**
 * `npm run scenario:new` on a copy of scenarios/index.ts in a temp folder: the pack it writes is
 * registered, validates, and passes its own self-test on a sim cluster as generated. The same
 * pack, broken on purpose, shows what the validator reports and where.
 */

const REPO = process.cwd();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-scaffold-"));
const scenariosDir = path.join(tmp, "scenarios");
fs.mkdirSync(scenariosDir);
fs.copyFileSync(path.join(REPO, "scenarios/index.ts"), path.join(scenariosDir, "index.ts"));
const dataDir = path.join(tmp, "data");
const hasKubectl = toolsSkipReason({ suite: "scaffold-pack.test.ts", tools: ["kubectl"] }) === null;
const driver = createSimDriver({ config: parseConfig({ BREAKFIX_DATA_DIR: dataDir }) }, { startTimeoutMs: 90_000, keyAlgorithm: "ecdsa-p256" });

afterAll(async () => {
  for (const n of await driver.list().catch(() => [])) await (await driver.attach(n))?.destroy();
  fs.rmSync(tmp, { recursive: true, force: true });
}, 120_000);

/** Imports a scenario.ts from the temp folder fresh (a query string defeats the module cache). */
async function importPack(slug: string, bust = ""): Promise<unknown> {
  const mod = (await import(/* @vite-ignore */ `${path.join(scenariosDir, slug, "scenario.ts")}${bust ? `?${bust}` : ""}`)) as { default: unknown };
  return mod.default;
}

describe("scaffoldPack", () => {
  it("writes the three files and registers the pack in index.ts, leaving the other entries alone", () => {
    const before = fs.readFileSync(path.join(scenariosDir, "index.ts"), "utf8");
    const r = scaffoldPack({ slug: "web-down", domain: "workloads", difficulty: "easy", scenariosDir });
    expect(r.files.map((f) => path.basename(f))).toEqual(["scenario.ts", "brief.md", "solution.md"]);
    const after = fs.readFileSync(path.join(scenariosDir, "index.ts"), "utf8");
    expect(after).toContain('import webDown from "./web-down/scenario";');
    expect(after).toContain('  { slug: "web-down", pack: webDown },\n];');
    // Only two lines were added.
    const added = after.split("\n").filter((l) => !before.split("\n").includes(l));
    expect(added).toEqual(['import webDown from "./web-down/scenario";', '  { slug: "web-down", pack: webDown },']);
  });

  it("refuses a bad slug, an unknown domain and an existing pack, before writing anything", () => {
    const index = fs.readFileSync(path.join(scenariosDir, "index.ts"), "utf8");
    expect(() => scaffoldPack({ slug: "Web_Down", scenariosDir })).toThrow(/slug "Web_Down" must be kebab-case/);
    expect(() => scaffoldPack({ slug: "9lives", scenariosDir })).toThrow(/must be kebab-case: start with a letter/);
    expect(() => scaffoldPack({ slug: "x".repeat(41), scenariosDir })).toThrow(/at most 40 characters/);
    expect(() => scaffoldPack({ slug: "dns-down", domain: "dns", scenariosDir })).toThrow(/--domain "dns" must be one of control-plane, /);
    expect(() => scaffoldPack({ slug: "web-down", scenariosDir })).toThrow(/scenarios\/web-down\/ already exists/);
    expect(() => registerInIndex(index, "web-down")).toThrow(/"web-down" is already registered/);
    expect(fs.existsSync(path.join(scenariosDir, "Web_Down"))).toBe(false);
    expect(fs.existsSync(path.join(scenariosDir, "dns-down"))).toBe(false);
    expect(fs.readFileSync(path.join(scenariosDir, "index.ts"), "utf8")).toBe(index);
  });

  it("adds the comma a registry without a trailing comma needs", () => {
    const src = 'import a from "./a/scenario";\nexport const registry = [{ slug: "a", pack: a }];\n';
    expect(registerInIndex(src, "b").source).toBe(
      'import a from "./a/scenario";\nimport b from "./b/scenario";\nexport const registry = [{ slug: "a", pack: a }, { slug: "b", pack: b }, ];\n',
    );
  });

  it("writes a pack that validates as generated, with 2 variants, 3 hints of rising cost and an anti-solution", async () => {
    const { scenarios, problems } = loadScenarios([{ slug: "web-down", pack: await importPack("web-down") }], scenariosDir);
    expect(problems.map(formatProblem)).toEqual([]);
    const pack = scenarios[0]!.pack;
    expect(pack.variants.length).toBeGreaterThanOrEqual(2);
    const costs = pack.hints.map((h) => h.cost);
    expect(costs).toHaveLength(3);
    costs.slice(1).forEach((c, i) => expect(c).toBeGreaterThan(costs[i]!));
    expect(pack.antiSolutions?.length).toBeGreaterThanOrEqual(1);
  });

  it("writes a scenario.ts that type-checks with the project's tsconfig", () => {
    const code = fs.readFileSync(path.join(scenariosDir, "web-down", "scenario.ts"), "utf8");
    expect(typecheckExamples([{ line: 1, tags: [], code, module: true }], "scenarios/web-down/scenario.ts", REPO)).toEqual([]);
  }, 120_000);

  it("reports a broken copy of it as file:line:col → field: message with the snippet", async () => {
    const file = path.join(scenariosDir, "web-down", "scenario.ts");
    const good = fs.readFileSync(file, "utf8");
    const bad = good
      .replace('{ id: "scaled-to-zero", title: "Scaled to zero replicas" }', '{ id: "Scaled_To_Zero", title: "Scaled to zero replicas" }')
      .replace('  failingAfterInject: ["web-available"],', '  failingAfterInjet: ["web-available"],')
      .replace('"`kubectl -n web-down get deployment,pods` shows', '"Run `kubectl -n web-down set image deployment/web web=nginx:1.27`; `kubectl -n web-down get deployment,pods` shows');
    expect(bad).not.toBe(good);
    fs.mkdirSync(path.join(scenariosDir, "web-down-bad"));
    for (const f of ["brief.md", "solution.md"]) fs.copyFileSync(path.join(scenariosDir, "web-down", f), path.join(scenariosDir, "web-down-bad", f));
    fs.writeFileSync(path.join(scenariosDir, "web-down-bad", "scenario.ts"), bad.replace('id: "web-down",', 'id: "web-down-bad",'));
    const loaded = loadScenarios([{ slug: "web-down-bad", pack: await importPack("web-down-bad") }], scenariosDir);
    const lines = locateProblems(loaded.problems, scenariosDir).map(formatProblem);
    const source = fs.readFileSync(path.join(scenariosDir, "web-down-bad", "scenario.ts"), "utf8").split("\n");
    const lineOf = (needle: string) => source.findIndex((l) => l.includes(needle)) + 1;
    const colOf = (needle: string, at: string) => source[lineOf(needle) - 1]!.indexOf(at) + 1;

    const variant = lines.find((l) => l.includes("→ variants.1.id:"));
    expect(variant).toBe(
      [
        `scenarios/web-down-bad/scenario.ts:${lineOf("Scaled_To_Zero")}:${colOf("Scaled_To_Zero", "id:")} → variants.1.id: must be kebab-case: lower-case letters, digits and dashes`,
        `  ${lineOf("Scaled_To_Zero")} | ${source[lineOf("Scaled_To_Zero") - 1]}`,
        `  ${" ".repeat(String(lineOf("Scaled_To_Zero")).length)} | ${" ".repeat(colOf("Scaled_To_Zero", "id:") - 1)}${"^".repeat('id: "Scaled_To_Zero"'.length)}`,
      ].join("\n"),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^scenarios/web-down-bad/scenario\\.ts:${lineOf("failingAfterInjet")}:3 → failingAfterInjet: is not a field the pack schema knows`),
      ),
    );
    const hint = lines.find((l) => l.includes("→ hints.0.text:"));
    expect(hint).toMatch(new RegExp(`^scenarios/web-down-bad/scenario\\.ts:${lineOf("Run `kubectl")}:\\d+ → hints\\.0\\.text: repeats the fix command`));
    expect(hint).toContain('"kubectl -n web-down set image deployment/web web=nginx:1.27" from scenarios/web-down-bad/solution.md:');
  });

  it.skipIf(!hasKubectl)(
    "writes a pack that passes its own self-test on a sim cluster, every variant",
    async () => {
      const { scenarios, problems } = loadScenarios([{ slug: "web-down", pack: await importPack("web-down", "selftest") }], scenariosDir);
      expect(problems).toEqual([]);
      const log: string[] = [];
      const rows = await selfTestPack(scenarios[0]!, {
        driver,
        scenariosDir,
        signal: AbortSignal.timeout(600_000),
        say: (line) => log.push(line),
      });
      const table = formatSelfTestTable(rows);
      expect(table, `${table}\n\n${log.join("\n")}`).toMatch(/2\/2 variant\(s\) passed; 1\/1 pack\(s\) passed every variant/);
      // Both of its own wrong fixes and the two generic ones ran, and each left a check failing.
      for (const r of rows) {
        if (r.kind !== "ran") throw new Error("not applicable on sim");
        expect(r.result.steps.filter((s) => s.step === "anti").map((s) => s.label)).toEqual(["other-image", "start-from-scratch", "reset-only", "restart-kubelet-only"]);
      }
    },
    660_000,
  );
});
