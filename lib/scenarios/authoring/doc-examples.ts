import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/** A ```ts code block of a markdown page. */
export interface DocExample {
  /** 1-based line of the block's first code line in the page. */
  line: number;
  /** Words after the language on the fence line: ```ts sim → ["sim"]. */
  tags: string[];
  code: string;
  /** A block that starts with an import is a whole module; any other is a function body. */
  module: boolean;
}

/** The ```ts blocks of a markdown text, in order. */
export function extractTsExamples(markdown: string): DocExample[] {
  const lines = markdown.split(/\r?\n/);
  const out: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)(.*)$/.exec(lines[i]!);
    if (!open) continue;
    let j = i + 1;
    while (j < lines.length && !/^```\s*$/.test(lines[j]!)) j++;
    if (open[1] === "ts" || open[1] === "typescript") {
      const code = lines.slice(i + 1, j).join("\n");
      out.push({ line: i + 2, tags: open[2]!.trim().split(/\s+/).filter(Boolean), code, module: /^\s*import\s/.test(code) });
    }
    i = j;
  }
  return out;
}

/** What a function-body example can use without importing it: the SDK, and `ctx`. */
const PRELUDE = [
  'import { checks } from "@/lib/scenarios/checks";',
  'import { faults } from "@/lib/scenarios/faults";',
  'import type { Check, ScenarioPack, Variant } from "@/lib/scenarios/define-scenario";',
  'import type { ScenarioContext } from "@/lib/scenarios/context";',
  "export type { Check, ScenarioPack, Variant };",
  "export default async function example(ctx: ScenarioContext): Promise<void> {",
];

/** The example as a module: a whole module as it is, a body inside `example(ctx)`. */
export function exampleModule(e: DocExample): { text: string; firstLine: number } {
  if (e.module) return { text: `${e.code}\n`, firstLine: 0 };
  return { text: `${PRELUDE.join("\n")}\n${e.code}\n}\n`, firstLine: PRELUDE.length };
}

/**
 * Type-checks every example with the project's tsconfig (paths, strict, noUncheckedIndexedAccess)
 * as if each were a file under docs/. Returns "docs/page.md:line:col: message" per error.
 */
export function typecheckExamples(examples: DocExample[], page: string, repoRoot: string): string[] {
  const configFile = path.join(repoRoot, "tsconfig.json");
  const raw = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(raw.config, ts.sys, repoRoot);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, incremental: false, plugins: [] };
  const virtual = new Map<string, { text: string; example: DocExample; firstLine: number }>();
  examples.forEach((e, i) => {
    const m = exampleModule(e);
    virtual.set(path.join(repoRoot, "docs", `.example-${i}-${e.line}.ts`), { ...m, example: e });
  });
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, onError, create) => {
    const v = virtual.get(path.resolve(file));
    return v ? ts.createSourceFile(file, v.text, lang) : getSourceFile(file, lang, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => virtual.has(path.resolve(file)) || fileExists(file);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => virtual.get(path.resolve(file))?.text ?? readFile(file);
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const errors: string[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const v = d.file ? virtual.get(path.resolve(d.file.fileName)) : undefined;
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!v || !d.file || d.start === undefined) {
      errors.push(`${d.file?.fileName ?? "(program)"}: ${message}`);
      continue;
    }
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    errors.push(`${page}:${v.example.line + line - v.firstLine}:${character + 1}: ${message}`);
  }
  return errors;
}

/** The member names of an interface declared in a file (the SDK's surface, for completeness checks). */
export function interfaceMembers(file: string, name: string): string[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const decl = sf.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!decl) throw new Error(`${file} declares no interface ${name}`);
  return decl.members.map((m) => (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? m.name.text : "")).filter(Boolean);
}
