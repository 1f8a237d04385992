import path from "node:path";
import { formatProblem, loadScenarios } from "@/lib/scenarios/load-scenarios";
import { registry } from "@/scenarios/index";

// npm run scenario:validate — prints every pack with its variants and checks; exits 1 on any error.
const result = loadScenarios(registry, path.join(process.cwd(), "scenarios"));

for (const { slug, pack } of result.scenarios) {
  const points = pack.checks.reduce((n, c) => n + c.points, 0);
  console.log(`✔ ${slug} — ${pack.title} [${pack.domain}, ${pack.difficulty}, ${pack.minutes} min]`);
  console.log(`    variants: ${pack.variants.map((v) => v.id).join(", ")}`);
  console.log(`    checks:   ${pack.checks.map((c) => `${c.id} (${c.points})`).join(", ")} = ${points} points`);
  console.log(`    hints:    ${pack.hints.length}, anti-solutions: ${pack.antiSolutions?.length ?? 0}`);
}
for (const p of result.problems) console.error(`✘ ${formatProblem(p)}`);

const bad = new Set(result.problems.map((p) => p.slug)).size;
console.log(`\n${result.scenarios.length} pack(s) valid, ${bad} invalid`);
process.exit(result.problems.length ? 1 : 0);
