import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { scenarioSchema, type ScenarioPack } from "./define-scenario";
import { fixSection, hintLeak, LEAK_RUN_WORDS } from "./hint-leaks";

/** One entry of the explicit registry in scenarios/index.ts. */
export interface RegistryEntry {
  slug: string;
  /** The module's default export, as imported (unknown until validated). */
  pack: unknown;
}

export interface LoadedScenario {
  slug: string;
  pack: ScenarioPack;
  brief: string;
  solution: string;
}

export interface PackProblem {
  slug: string;
  file: string;
  field: string;
  message: string;
  /** The field as a path into the pack (["variants", 1, "id"]), to locate it in the source. */
  path?: (string | number)[];
  /** Where the field is written (1-based), when the source was read: see locateProblems. */
  line?: number;
  col?: number;
  /** The offending source line with a caret under the field. */
  snippet?: string;
}

export interface LoadResult {
  scenarios: LoadedScenario[];
  problems: PackProblem[];
}

/**
 * "scenarios/etcd-crashloop/scenario.ts → checks.0.points: expected number", with
 * ":line:col" after the file and the offending snippet below it once the problem was located.
 */
export function formatProblem(p: PackProblem): string {
  const at = p.line ? `:${p.line}:${p.col ?? 1}` : "";
  return `${p.file}${at} → ${p.field}: ${p.message}${p.snippet ? `\n${p.snippet}` : ""}`;
}

function fieldOf(issuePath: PropertyKey[]): string {
  return issuePath.length ? issuePath.map(String).join(".") : "(pack)";
}

type PathKey = string | number;

const hintsOnly = z.object({ hints: z.array(z.object({ text: z.unknown() }).loose().nullable().catch(null)) });

function zodProblems(slug: string, file: string, error: z.ZodError): PackProblem[] {
  return error.issues.flatMap((i) => {
    const issuePath = i.path.map((k) => (typeof k === "number" ? k : String(k)));
    // One problem per unknown key, located at the key itself.
    if (i.code === "unrecognized_keys")
      return i.keys.map((k) => ({
        slug,
        file,
        field: fieldOf([...issuePath, k]),
        message: "is not a field the pack schema knows (a typo? see docs/authoring.md for the fields)",
        path: [...issuePath, k],
      }));
    return [{ slug, file, field: fieldOf(issuePath), message: i.message, path: issuePath }];
  });
}

/** Hints that repeat solution.md's fix section (rules in hint-leaks.ts). */
function hintLeakProblems(slug: string, file: string, pack: unknown, solution: string): PackProblem[] {
  const fix = fixSection(solution);
  // Checked even when the rest of the pack is invalid, so that one run reports everything.
  const hints = hintsOnly.safeParse(pack);
  if (!fix || !hints.success) return [];
  return hints.data.hints.flatMap((h, i) => {
    if (typeof h?.text !== "string") return [];
    const leak = hintLeak(h.text, fix);
    if (!leak) return [];
    const what =
      leak.kind === "command"
        ? `repeats the fix command "${leak.repeated}" from scenarios/${slug}/solution.md:${leak.line}`
        : `repeats ${leak.repeated.split(" ").length} words of the fix from scenarios/${slug}/solution.md:${leak.line} ("${leak.repeated}"; at most ${LEAK_RUN_WORDS - 1} in a row)`;
    const path: PathKey[] = ["hints", i, "text"];
    return [{ slug, file, field: fieldOf(path), message: `${what}: a hint points the way, the solution gives it`, path }];
  });
}

function readMarkdown(dir: string, slug: string, name: string, problems: PackProblem[]): string {
  const file = path.join(dir, slug, name);
  try {
    const text = fs.readFileSync(file, "utf8");
    if (!text.trim()) problems.push({ slug, file: `scenarios/${slug}/${name}`, field: "(file)", message: "is empty" });
    return text;
  } catch {
    problems.push({ slug, file: `scenarios/${slug}/${name}`, field: "(file)", message: "is missing" });
    return "";
  }
}

/**
 * Validates every registry entry. Broken packs are left out and reported; they never throw.
 * `scenariosDir` holds the packs' folders (brief.md and solution.md are read from there).
 */
export function loadScenarios(entries: RegistryEntry[], scenariosDir: string): LoadResult {
  const scenarios: LoadedScenario[] = [];
  const problems: PackProblem[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const file = `scenarios/${entry.slug}/scenario.ts`;
    const own: PackProblem[] = [];
    const parsed = scenarioSchema.safeParse(entry.pack);
    if (!parsed.success) {
      own.push(...zodProblems(entry.slug, file, parsed.error));
    } else {
      if (parsed.data.id !== entry.slug)
        own.push({ slug: entry.slug, file, field: "id", message: `must equal the folder name "${entry.slug}"` });
      if (seen.has(entry.slug)) own.push({ slug: entry.slug, file, field: "id", message: "is registered twice" });
    }
    const brief = readMarkdown(scenariosDir, entry.slug, "brief.md", own);
    const solution = readMarkdown(scenariosDir, entry.slug, "solution.md", own);
    own.push(...hintLeakProblems(entry.slug, file, entry.pack, solution));
    seen.add(entry.slug);
    if (own.length || !parsed.success) {
      problems.push(...own);
      continue;
    }
    // The schema checked the shape; the functions keep the types the pack declared.
    scenarios.push({ slug: entry.slug, pack: entry.pack as ScenarioPack, brief, solution });
  }
  return { scenarios, problems };
}
