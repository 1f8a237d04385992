import fs from "node:fs";
import path from "node:path";
import type { PackProblem } from "../load-scenarios";
import { locateInPack } from "./locate-in-pack";

/**
 * Adds line, column and the offending snippet to every problem that names a field of a pack's
 * scenario.ts, by parsing that file (the TypeScript compiler API, a dev tool: the authoring
 * CLIs use this, the server's loader does not). Problems it cannot place stay as they were.
 *
 * @example
 * for (const p of locateProblems(loadScenarios(registry, dir).problems, dir)) console.error(formatProblem(p));
 * // scenarios/my-pack/scenario.ts:14:11 → variants.1.id: must be kebab-case: …
 * //   14 |     { id: "Bad_Id", title: "Bad" },
 * //      |       ^^^^^^^^^^^^
 */
export function locateProblems(problems: PackProblem[], scenariosDir: string): PackProblem[] {
  const sources = new Map<string, string | null>();
  const source = (slug: string) => {
    if (!sources.has(slug)) {
      try {
        sources.set(slug, fs.readFileSync(path.join(scenariosDir, slug, "scenario.ts"), "utf8"));
      } catch {
        sources.set(slug, null);
      }
    }
    return sources.get(slug) ?? null;
  };
  return problems.map((p) => {
    if (!p.path || !p.file.endsWith("/scenario.ts")) return p;
    const text = source(p.slug);
    const at = text === null ? undefined : locateInPack(text, p.path);
    return at ? { ...p, ...at } : p;
  });
}

/**
 * Names a field of one pack as "scenarios/<slug>/scenario.ts:line:col → field", reading the file
 * once; for the self-test's messages (SelfTestOptions.where). Without a readable file the line
 * is left out.
 *
 * @example
 * const where = packFieldLocator(SCENARIOS_DIR, "hello-pod");
 * where(["checks", 0]); // "scenarios/hello-pod/scenario.ts:24:5 → checks.0"
 */
export function packFieldLocator(scenariosDir: string, slug: string): (fieldPath: (string | number)[]) => string {
  let text: string | null;
  try {
    text = fs.readFileSync(path.join(scenariosDir, slug, "scenario.ts"), "utf8");
  } catch {
    text = null;
  }
  return (fieldPath) => {
    const at = text === null ? undefined : locateInPack(text, fieldPath);
    return `scenarios/${slug}/scenario.ts${at ? `:${at.line}:${at.col}` : ""} → ${fieldPath.join(".") || "(pack)"}`;
  };
}
