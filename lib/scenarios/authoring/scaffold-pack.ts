import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { z } from "zod";
import { ConflictError, InputError } from "@/lib/errors";
import { DIFFICULTIES, DOMAINS, type Difficulty, type Domain } from "../define-scenario";
import { briefMd, scenarioTs, solutionMd } from "./pack-template";

/** Slugs name a folder, a namespace and kind cluster names ("st-<slug>-1"): keep them short. */
export const MAX_SLUG_LENGTH = 40;

const inputSchema = z.object({
  slug: z
    .string()
    .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "must be kebab-case: start with a letter, then lower-case letters, digits and single dashes (e.g. dns-broken)")
    .max(MAX_SLUG_LENGTH, `must be at most ${MAX_SLUG_LENGTH} characters`),
  domain: z.enum(DOMAINS, { message: `must be one of ${DOMAINS.join(", ")}` }).default("workloads"),
  difficulty: z.enum(DIFFICULTIES, { message: `must be one of ${DIFFICULTIES.join(", ")}` }).default("easy"),
});

export interface ScaffoldOptions {
  slug: string;
  domain?: Domain | string;
  difficulty?: Difficulty | string;
  /** The folder that holds the packs and their index.ts (the repo's scenarios/, or a copy). */
  scenariosDir: string;
}

export interface ScaffoldResult {
  dir: string;
  files: string[];
  /** The import name the registry uses for the new pack. */
  identifier: string;
}

/** "dns-broken" → "dnsBroken"; a name already taken in index.ts gets a "Pack" suffix. */
function identifierFor(slug: string, taken: Set<string>): string {
  const base = slug.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}Pack${i > 2 ? i : ""}`;
  return id;
}

/**
 * The edit that registers a pack in index.ts: an import after the last import, and an entry at
 * the end of the `registry` array. Found with the TypeScript parser, so the file's own layout
 * and comments stay as they are. Throws when the file is not shaped like the registry.
 */
export function registerInIndex(indexSource: string, slug: string): { source: string; identifier: string } {
  const sf = ts.createSourceFile("index.ts", indexSource, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imports = sf.statements.filter(ts.isImportDeclaration);
  const taken = new Set<string>();
  for (const i of imports) {
    const name = i.importClause?.name?.text;
    if (name) taken.add(name);
    const bindings = i.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) taken.add(e.name.text);
  }
  let array: ts.ArrayLiteralExpression | undefined;
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations)
      if (ts.isIdentifier(d.name) && d.name.text === "registry" && d.initializer && ts.isArrayLiteralExpression(d.initializer)) array = d.initializer;
  }
  if (!array || !imports.length)
    throw new InputError("scenarios/index.ts does not look like the pack registry (imports, then `export const registry = [ … ]`).", {
      hint: "Register the pack by hand: import its scenario.ts and add { slug, pack } to the registry array.",
    });
  const already = array.elements.some(
    (e) =>
      ts.isObjectLiteralExpression(e) &&
      e.properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText(sf) === "slug" && ts.isStringLiteral(p.initializer) && p.initializer.text === slug),
  );
  if (already) throw new ConflictError(`A pack "${slug}" is already registered in scenarios/index.ts.`, { hint: "Pick another slug, or edit the existing pack." });
  const identifier = identifierFor(slug, taken);
  const importLine = `import ${identifier} from "./${slug}/scenario";`;
  const entry = `{ slug: "${slug}", pack: ${identifier} },`;
  const lastImport = imports[imports.length - 1]!;
  const closing = array.getEnd() - 1; // the "]"
  const last = array.elements[array.elements.length - 1];
  const needsComma = last !== undefined && !array.elements.hasTrailingComma;
  // Insert from the end backwards so earlier positions stay valid.
  let out = indexSource;
  const lineStart = out.lastIndexOf("\n", closing - 1) + 1;
  const closingOnOwnLine = out.slice(lineStart, closing).trim() === "";
  out = closingOnOwnLine ? `${out.slice(0, lineStart)}  ${entry}\n${out.slice(lineStart)}` : `${out.slice(0, closing)} ${entry} ${out.slice(closing)}`;
  if (needsComma) out = `${out.slice(0, last!.getEnd())},${out.slice(last!.getEnd())}`;
  out = `${out.slice(0, lastImport.getEnd())}\n${importLine}${out.slice(lastImport.getEnd())}`;
  return { source: out, identifier };
}

/**
 * Writes a new pack (scenario.ts, brief.md, solution.md) into scenariosDir/<slug>/ and
 * registers it in scenariosDir/index.ts. The pack validates and passes its self-test as written.
 * Refuses a bad slug, domain or difficulty (InputError) and an existing pack (ConflictError),
 * before writing anything.
 *
 * @example
 * scaffoldPack({ slug: "dns-broken", domain: "networking", scenariosDir: path.join(process.cwd(), "scenarios") });
 */
export function scaffoldPack(opts: ScaffoldOptions): ScaffoldResult {
  const parsed = inputSchema.safeParse({ slug: opts.slug, domain: opts.domain, difficulty: opts.difficulty });
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const field = String(i.path[0] ?? "slug");
    const shown = field === "slug" ? `"${opts.slug}"` : `--${field} "${String(opts[field as keyof ScaffoldOptions])}"`;
    throw new InputError(`${field === "slug" ? "slug " : ""}${shown} ${i.message}.`, {
      hint: "Usage: npm run scenario:new -- <slug> [--domain D] [--difficulty D]",
    });
  }
  const input = parsed.data;
  const dir = path.join(opts.scenariosDir, input.slug);
  if (fs.existsSync(dir))
    throw new ConflictError(`scenarios/${input.slug}/ already exists.`, { hint: "Pick another slug, or edit the existing pack in place." });
  const indexFile = path.join(opts.scenariosDir, "index.ts");
  const registered = registerInIndex(fs.readFileSync(indexFile, "utf8"), input.slug);
  const files = {
    "scenario.ts": scenarioTs(input),
    "brief.md": briefMd(input),
    "solution.md": solutionMd(input),
  };
  fs.mkdirSync(dir);
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text, { flag: "wx" });
    fs.writeFileSync(indexFile, registered.source);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, files: Object.keys(files).map((f) => path.join(dir, f)), identifier: registered.identifier };
}
