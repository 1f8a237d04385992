import path from "node:path";
import { examRegistry } from "@/exams/index";
import { loadExams } from "@/lib/exams/load-exams";
import { locateProblems } from "@/lib/scenarios/authoring/locate-problems";
import { formatProblem, loadScenarios } from "@/lib/scenarios/load-scenarios";
import { lessonRegistry } from "@/lessons/index";
import { loadLessons } from "@/lib/lessons/load-lessons";
import { registry } from "@/scenarios/index";

// npm run scenario:validate — prints every pack with its variants and checks, then every exam
// blueprint with its tasks (pools and weights checked against the valid packs); exits 1 on any error.
const SCENARIOS_DIR = path.join(process.cwd(), "scenarios");
const result = loadScenarios(registry, SCENARIOS_DIR);

for (const { slug, pack } of result.scenarios) {
  const points = pack.checks.reduce((n, c) => n + c.points, 0);
  console.log(`✔ ${slug} — ${pack.title} [${pack.domain}, ${pack.difficulty}, ${pack.minutes} min]`);
  console.log(`    variants: ${pack.variants.map((v) => v.id).join(", ")}`);
  console.log(`    checks:   ${pack.checks.map((c) => `${c.id} (${c.points})`).join(", ")} = ${points} points`);
  console.log(`    hints:    ${pack.hints.length}, anti-solutions: ${pack.antiSolutions?.length ?? 0}`);
}
for (const p of locateProblems(result.problems, SCENARIOS_DIR)) console.error(`✘ ${formatProblem(p)}`);

const exams = loadExams(
  examRegistry,
  result.scenarios.map(({ slug, pack }) => ({ slug, domain: pack.domain, difficulty: pack.difficulty, variants: pack.variants.map((v) => v.id) })),
);
console.log("");
for (const { slug, blueprint: b, taskCount } of exams.exams) {
  console.log(`✔ exams/${slug}.ts — ${b.title} [${b.minutes} min, pass ${b.passPercent} %, ${b.modes.join("/")}, seed ${b.seed.policy}]`);
  const tasks = b.tasks.map((t) =>
    t.scenario !== undefined
      ? `${t.scenario}${t.variant ? `:${t.variant}` : ""} (${t.weight})`
      : `${t.draw!.count}× draw ${[t.draw!.domain, t.draw!.difficulty].filter(Boolean).join("/") || "any"} (${t.weight} each)`,
  );
  console.log(`    tasks:    ${tasks.join(", ")} = ${taskCount} task(s)`);
}
for (const p of exams.problems) console.error(`✘ ${formatProblem(p)}`);

const lessons = loadLessons(lessonRegistry, new Set(registry.map((e) => e.slug)));
console.log("");
for (const { slug, lesson } of lessons.lessons) {
  console.log(`✔ lessons/${slug} — ${lesson.title} [${lesson.minutes} min]`);
  console.log(`    steps:    ${lesson.steps.map((s) => s.id).join(", ")}`);
}
for (const p of lessons.problems) console.error(`✘ ${formatProblem(p)}`);

const bad = new Set(result.problems.map((p) => p.slug)).size;
const badExams = new Set(exams.problems.map((p) => p.slug)).size;
const badLessons = new Set(lessons.problems.map((p) => p.slug)).size;
console.log(
  `\n${result.scenarios.length} pack(s) valid, ${bad} invalid; ${exams.exams.length} blueprint(s) valid, ${badExams} invalid; ${lessons.lessons.length} lesson(s) valid, ${badLessons} invalid`,
);
process.exit(result.problems.length || exams.problems.length || lessons.problems.length ? 1 : 0);
