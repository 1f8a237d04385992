import ts from "typescript";

/** Where a field of a pack is written in its scenario.ts: 1-based line and column, and that line. */
export interface SourceLocation {
  line: number;
  col: number;
  /** The source line, and a caret line under the located text. */
  snippet: string;
}

function isDefineScenarioCall(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "defineScenario";
}

/** The object literal passed to defineScenario(...), or undefined when the file has none. */
export function findPackLiteral(sf: ts.SourceFile): ts.ObjectLiteralExpression | undefined {
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (node: ts.Node) => {
    if (found) return;
    if (isDefineScenarioCall(node)) {
      const arg = node.arguments[0];
      if (arg && ts.isObjectLiteralExpression(arg)) found = arg;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function propName(p: ts.ObjectLiteralElementLike): string | undefined {
  const n = p.name;
  if (!n) return undefined;
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n) || ts.isPrivateIdentifier(n)) return n.text;
  return undefined;
}

/**
 * One step down a pack's source: into the value of property `key` of an object literal, or the
 * element `key` of an array literal. Returns the node for the step's target (a property's whole
 * assignment when the value is not a literal, so the location still points at the key).
 */
function step(node: ts.Node, key: string | number): { node: ts.Node; value: ts.Node | undefined } | undefined {
  let n = node;
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isSatisfiesExpression(n)) n = n.expression;
  if (ts.isObjectLiteralExpression(n)) {
    const p = n.properties.find((x) => propName(x) === String(key));
    if (!p) return undefined;
    if (ts.isPropertyAssignment(p)) return { node: p, value: p.initializer };
    return { node: p, value: undefined };
  }
  if (ts.isArrayLiteralExpression(n) && typeof key === "number") {
    const el = n.elements[key];
    // A spread hides which source element holds the index: stop at the array.
    if (!el || n.elements.slice(0, key + 1).some(ts.isSpreadElement)) return undefined;
    return { node: el, value: el };
  }
  // A call such as checks.stays({...}, 20) wraps the literal: look into its first argument.
  if (ts.isCallExpression(n) && n.arguments[0]) return step(n.arguments[0], key);
  return undefined;
}

/** "  12 | text\n     |   ^^^^" for the node's first line. */
function snippetAt(sf: ts.SourceFile, start: number, end: number): { line: number; col: number; snippet: string } {
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
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const root = findPackLiteral(sf);
  if (!root) return undefined;
  let at: ts.Node = root;
  let value: ts.Node | undefined = root;
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
