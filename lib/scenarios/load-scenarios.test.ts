import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import helloPod from "@/scenarios/hello-pod/scenario";
import { registry } from "@/scenarios/index";
import { formatProblem, loadScenarios } from "./load-scenarios";

const SCENARIOS_DIR = path.join(process.cwd(), "scenarios");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-packs-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function packDir(slug: string) {
  fs.mkdirSync(path.join(tmp, slug), { recursive: true });
  fs.writeFileSync(path.join(tmp, slug, "brief.md"), "# Brief\n");
  fs.writeFileSync(path.join(tmp, slug, "solution.md"), "# Solution\n");
}

describe("loadScenarios", () => {
  it("loads every registered pack with its brief and solution", () => {
    const { scenarios, problems } = loadScenarios(registry, SCENARIOS_DIR);
    expect(problems).toEqual([]);
    const hello = scenarios.find((s) => s.slug === "hello-pod");
    expect(hello?.pack.title).toBe("Hello, pod");
    expect(hello?.brief).toContain("nginx:1.27");
    expect(hello?.solution).toContain("kubectl");
  });

  it("reports a missing field as file → field: message and keeps loading the others", () => {
    packDir("broken");
    packDir("hello-pod");
    fs.copyFileSync(path.join(SCENARIOS_DIR, "hello-pod/brief.md"), path.join(tmp, "hello-pod/brief.md"));
    const { title: _drop, ...withoutTitle } = { ...helloPod, id: "broken" };
    const { scenarios, problems } = loadScenarios(
      [
        { slug: "broken", pack: withoutTitle },
        { slug: "hello-pod", pack: helloPod },
      ],
      tmp,
    );
    expect(scenarios.map((s) => s.slug)).toEqual(["hello-pod"]);
    expect(problems).toHaveLength(1);
    expect(formatProblem(problems[0]!)).toMatch(/^scenarios\/broken\/scenario\.ts → title: /);
  });

  it("refuses images the host cannot pull for kind (an in-lab registry, no fixed tag), which kind:prepull would fail on", () => {
    packDir("imgs");
    const pack = { ...helloPod, id: "imgs", images: ["nginx:1.27", "127.0.0.1:30500/team/app:1.0", "localhost:5001/x:1", "registry.registry.svc:5000/x:1", "busybox", "redis:latest", "registry:2.8.3", "quay.io/a/b@sha256:" + "0".repeat(64)] };
    const lines = loadScenarios([{ slug: "imgs", pack }], tmp).problems.map(formatProblem);
    expect(lines.map((l) => l.replace(/:.*$/, ""))).toEqual(Array(5).fill("scenarios/imgs/scenario.ts → images.1").map((l, i) => l.replace(".1", `.${i + 1}`)));
    expect(lines[0]).toContain('"127.0.0.1:30500/team/app:1.0" is in a registry that exists only inside a lab (127.0.0.1:30500); list the image it is made from, and push it from setup');
    expect(lines[3]).toContain('"busybox" has no fixed tag');
  });

  it("names nested fields, duplicate ids, a non-function hook and a folder/id mismatch", () => {
    packDir("nested");
    const bad = {
      ...helloPod,
      id: "other",
      checks: [{ ...helloPod.checks[0]!, points: "ten" }, helloPod.checks[0]],
      solve: "kubectl run",
    };
    const { problems } = loadScenarios([{ slug: "nested", pack: bad }], tmp);
    const lines = problems.map(formatProblem);
    expect(lines).toContainEqual(expect.stringMatching(/^scenarios\/nested\/scenario\.ts → checks\.0\.points: /));
    expect(lines).toContainEqual(expect.stringMatching(/→ solve: must be a function/));
    const again = loadScenarios([{ slug: "nested", pack: { ...helloPod, id: "other" } }], tmp);
    expect(again.problems.map(formatProblem)).toEqual([
      'scenarios/nested/scenario.ts → id: must equal the folder name "nested"',
    ]);
    const dup = loadScenarios(
      [{ slug: "nested", pack: { ...helloPod, id: "nested", checks: [helloPod.checks[0], helloPod.checks[0]] } }],
      tmp,
    );
    expect(dup.problems.map(formatProblem)).toEqual([
      'scenarios/nested/scenario.ts → checks.1.id: duplicate id "web-runs-nginx"',
    ]);
  });

  it("reports a missing brief.md", () => {
    fs.mkdirSync(path.join(tmp, "nobrief"), { recursive: true });
    fs.writeFileSync(path.join(tmp, "nobrief", "solution.md"), "x");
    const { problems } = loadScenarios([{ slug: "nobrief", pack: { ...helloPod, id: "nobrief" } }], tmp);
    expect(problems.map(formatProblem)).toEqual(["scenarios/nobrief/brief.md → (file): is missing"]);
  });

  it("reports an unknown key at any level as an error, one problem per key", () => {
    packDir("typo");
    const typo = { ...helloPod, id: "typo", failingAfterInjet: [], checks: [{ ...helloPod.checks[0]!, holdSecond: 5 }] };
    const { scenarios, problems } = loadScenarios([{ slug: "typo", pack: typo }], tmp);
    expect(scenarios).toEqual([]);
    expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      "checks.0.holdSecond: is not a field the pack schema knows (a typo? see docs/authoring.md for the fields)",
      "failingAfterInjet: is not a field the pack schema knows (a typo? see docs/authoring.md for the fields)",
    ]);
  });

  it("reports a hint that gives away solution.md's fix", () => {
    packDir("leak");
    fs.writeFileSync(path.join(tmp, "leak", "solution.md"), "# S\n\n## The fix\n\n```bash\nkubectl -n lab run web --image=nginx:1.27\n```\n");
    const leak = { ...helloPod, id: "leak", hints: [{ text: "Try `kubectl -n lab run web --image=nginx:1.27`.", cost: 1 }] };
    const { problems } = loadScenarios([{ slug: "leak", pack: leak }], tmp);
    expect(problems.map(formatProblem)).toEqual([
      'scenarios/leak/scenario.ts → hints.0.text: repeats the fix command "kubectl -n lab run web --image=nginx:1.27" from scenarios/leak/solution.md:6: a hint points the way, the solution gives it',
    ]);
  });
});
