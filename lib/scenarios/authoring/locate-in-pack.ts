import { createRequire } from "node:module";
import type TS from "typescript";

/**
 * The TypeScript compiler API is a dev dependency: an install without it (npm ci --omit=dev)
 * still runs scenario:test and scenario:validate, only without lines and columns.
 */
function loadTypescript(): typeof TS | null {
  try {
    return createRequire(import.meta.url)("typescript") as typeof TS;
  } catch {
    return null;
  }
}
const typescript = loadTypescript();

/** Where a field of a pack is written in its scenario.ts: 1-based line and column, and that line. */
export interface SourceLocation {
  line: number;
  col: number;
  /** The source line, and a caret line under the located text. */
  snippet: string;
}

function isDefineScenarioCall(node: TS.Node): node is TS.CallExpression {
  return typescript!.isCallExpression(node) && typescript!.isIdentifier(node.expression) && node.expression.text === "defineScenario";
}

/** The object literal passed to defineScenario(...), or undefined when the file has none. */
export function findPackLiteral(sf: TS.SourceFile): TS.ObjectLiteralExpression | undefined {
  let found: TS.ObjectLiteralExpression | undefined;
  const visit = (node: TS.Node) => {
    if (found) return;
    if (isDefineScenarioCall(node)) {
      const arg = node.arguments[0];
      if (arg && typescript!.isObjectLiteralExpression(arg)) found = arg;
      return;
    }
    typescript!.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function propName(p: TS.ObjectLiteralElementLike): string | undefined {
  const n = p.name;
  if (!n) return undefined;
  if (typescript!.isIdentifier(n) || typescript!.isStringLiteral(n) || typescript!.isNumericLiteral(n) || typescript!.isPrivateIdentifier(n)) return n.text;
  return undefined;
}

/**
 * One step down a pack's source: into the value of property `key` of an object literal, or the
 * element `key` of an array literal. Returns the node for the step's target (a property's whole
 * assignment when the value is not a literal, so the location still points at the key).
 */
function step(node: TS.Node, key: string | number): { node: TS.Node; value: TS.Node | undefined } | undefined {
  let n = node;
  while (typescript!.isParenthesizedExpression(n) || typescript!.isAsExpression(n) || typescript!.isSatisfiesExpression(n)) n = n.expression;
  if (typescript!.isObjectLiteralExpression(n)) {
    const p = n.properties.find((x) => propName(x) === String(key));
    if (!p) return undefined;
    if (typescript!.isPropertyAssignment(p)) return { node: p, value: p.initializer };
    return { node: p, value: undefined };
  }
  if (typescript!.isArrayLiteralExpression(n) && typeof key === "number") {
    const el = n.elements[key];
    // A spread hides which source element holds the index: stop at the array.
    if (!el || n.elements.slice(0, key + 1).some(typescript!.isSpreadElement)) return undefined;
    return { node: el, value: el };
  }
  // A call such as checks.stays({...}, 20) wraps the literal: look into its first argument.
  if (typescript!.isCallExpression(n) && n.arguments[0]) return step(n.arguments[0], key);
  return undefined;
}

/** "  12 | text\n     |   ^^^^" for the node's first line. */
function snippetAt(sf: TS.SourceFile, start: number, end: number): { line: number; col: number; snippet: string } {
  const { line, character } = sf.getLineAndCharacterOfPosition(start);
  const lineStart = sf.getPositionOfLineAndCharacter(line, 0);
  const text = sf.text.slice(lineStart).split(/\r?\n/)[0] ?? "";
  const width = Math.max(1, Math.min(end - start, text.length - character));
  const no = String(line + 1);
  const gutter = " ".repeat(no.length);
  return { line: line + 1, col: character + 1, snippet: `  ${no} | ${text}\n  ${gutter} | ${" ".repeat(character)}${"^".repeat(width)}` };
}

/**
 * Finds where a field of the pack (a zod issue path such as ["variants", 1, "id"]) is written in
 * scenario.ts, by walking the object literal passed to defineScenario. A path that leaves the
 * literal (a value held in a const, a spread) is located at the deepest part still in it; a file
 * without a defineScenario literal gives undefined.
 *
 * @example
 * locateInPack(source, ["hints", 0, "text"]) // { line: 40, col: 7, snippet: "  40 |       text: …" }
 */
export function locateInPack(source: string, fieldPath: readonly (string | number)[], fileName = "scenario.ts"): SourceLocation | undefined {
  if (!typescript) return undefined;
  const sf = typescript.createSourceFile(fileName, source, typescript.ScriptTarget.Latest, true, typescript.ScriptKind.TS);
  const root = findPackLiteral(sf);
  if (!root) return undefined;
  let at: TS.Node = root;
  let value: TS.Node | undefined = root;
  for (const key of fieldPath) {
    if (!value) break;
    const next = step(value, key);
    if (!next) break;
    at = next.node;
    value = next.value;
  }
  // A property assignment is shown from its key; its value alone when we stopped inside a literal.
  const start = at.getStart(sf);
  return snippetAt(sf, start, at.getEnd());
}
