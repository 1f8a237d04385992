import path from "node:path";
import { BreakfixError } from "@/lib/errors";
import { scaffoldPack } from "@/lib/scenarios/authoring/scaffold-pack";

// npm run scenario:new -- <slug> [--domain D] [--difficulty D]
const USAGE = "Usage: npm run scenario:new -- <slug> [--domain control-plane|data-plane|workloads|networking|storage] [--difficulty easy|medium|hard]";

function parse(argv: string[]): { slug?: string; domain?: string; difficulty?: string } {
  const out: { slug?: string; domain?: string; difficulty?: string } = {};
  const rest = [...argv];
  while (rest.length) {
    const arg = rest.shift()!;
    const m = /^--(domain|difficulty)(?:=(.*))?$/.exec(arg);
    if (m) {
      const value = m[2] ?? rest.shift();
      if (value === undefined) throw new Error(`--${m[1]} needs a value.`);
      out[m[1] as "domain" | "difficulty"] = value;
    } else if (arg.startsWith("-") || out.slug !== undefined) throw new Error(`Unknown argument "${arg}".`);
    else out.slug = arg;
  }
  return out;
}

try {
  const args = parse(process.argv.slice(2));
  if (!args.slug) throw new Error("Name the new pack: a kebab-case slug such as dns-broken.");
  const r = scaffoldPack({ slug: args.slug, domain: args.domain, difficulty: args.difficulty, scenariosDir: path.join(process.cwd(), "scenarios") });
  console.log(`created ${path.relative(process.cwd(), r.dir)}/ (${r.files.map((f) => path.basename(f)).join(", ")}) and registered it in scenarios/index.ts`);
  console.log(`next: npm run scenario:validate && npm run scenario:test -- ${args.slug} --driver sim --watch`);
  console.log("      docs/authoring.md walks through changing it into your own fault.");
} catch (err) {
  if (err instanceof BreakfixError) console.error(`${err.message}${err.hint ? `\n${err.hint}` : ""}`);
  else console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  process.exit(2);
}
