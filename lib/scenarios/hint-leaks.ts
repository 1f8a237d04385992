/**
 * A hint that repeats the solution is not a hint. The rule, checked at load for every hint
 * against solution.md's fix section (the heading "The fix", "Fix" or "Fix it", any level, up to
 * the next heading of the same or a higher level):
 *
 * 1. A hint must not contain a whole command line of the fix section's code blocks. Lines are
 *    compared with `\` continuations joined, a trailing `# comment` dropped and white space
 *    collapsed; comment lines and lines of fewer than 3 words are not commands.
 * 2. A hint must not share a run of 8 or more consecutive words with the fix section (prose and
 *    code alike). Words are compared in lower case without surrounding punctuation or backticks.
 *
 * What solution.md also says outside its fix section (a diagnosis command repeated in the fix's
 * "check it worked" block, say) is not the fix and does not count. Hints may name the commands
 * that diagnose (`kubectl describe pod`) and the object to change; only the fix itself, written
 * out, is the solution's.
 */

export const LEAK_RUN_WORDS = 8;
const MIN_COMMAND_WORDS = 3;

export interface FixSection {
  /** 1-based line of the section's heading in solution.md. */
  line: number;
  text: string;
  /** Command lines of its code blocks, normalized, each with its 1-based line in solution.md. */
  commands: { command: string; line: number }[];
  /** solution.md without the fix section, for the exemption above. */
  outside: string;
}

export interface HintLeak {
  /** What the hint repeats: the command or the run of words. */
  repeated: string;
  kind: "command" | "phrase";
  /** Line in solution.md where it stands. */
  line: number;
}

const FIX_HEADING = /^(#{1,6})\s+(?:the\s+)?fix(?:\s+it)?\s*:?\s*$/i;

function collapse(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/** solution.md's fix section, or undefined when it has none. */
export function fixSection(solutionMd: string): FixSection | undefined {
  const lines = solutionMd.split(/\r?\n/);
  const start = lines.findIndex((l) => FIX_HEADING.test(l));
  if (start < 0) return undefined;
  const level = FIX_HEADING.exec(lines[start]!)![1]!.length;
  let end = lines.length;
  let fence = false;
  for (let i = start + 1; i < lines.length; i++) {
    if (/^\s*(```|~~~)/.test(lines[i]!)) fence = !fence;
    const h = !fence && /^(#{1,6})\s/.exec(lines[i]!);
    if (h && h[1]!.length <= level) {
      end = i;
      break;
    }
  }
  const commands: FixSection["commands"] = [];
  let inCode = false;
  let pending: { text: string; line: number } | undefined;
  for (let i = start + 1; i < end; i++) {
    const raw = lines[i]!;
    if (/^\s*(```|~~~)/.test(raw)) {
      inCode = !inCode;
      pending = undefined;
      continue;
    }
    if (!inCode) continue;
    const text = raw.replace(/\s+#\s.*$/, "");
    const joined = pending ? `${pending.text} ${text}` : text;
    const line = pending?.line ?? i + 1;
    if (/\\\s*$/.test(joined)) {
      pending = { text: joined.replace(/\\\s*$/, ""), line };
      continue;
    }
    pending = undefined;
    const command = collapse(joined.replace(/^\s*\$\s+/, ""));
    if (!command || command.startsWith("#") || command.split(" ").length < MIN_COMMAND_WORDS) continue;
    commands.push({ command, line });
  }
  const outside = [...lines.slice(0, start), ...lines.slice(end)].join("\n");
  const elsewhere = collapse(outside.replace(/`/g, " "));
  return {
    line: start + 1,
    text: lines.slice(start + 1, end).join("\n"),
    commands: commands.filter((c) => !elsewhere.includes(c.command)),
    outside,
  };
}

function words(s: string): string[] {
  return s
    .replace(/`/g, " ")
    .split(/\s+/)
    .map((w) => w.replace(/^[("'“‘*_[]+|[)"'”’*_\].,;:!?]+$/g, "").toLowerCase())
    .filter(Boolean);
}

/**
 * What a hint repeats of the fix section, or undefined when it repeats nothing (rules above).
 *
 * @example
 * hintLeak("Run `kubectl -n shop set image deployment/web web=nginx:1.27`.", fixSection(md)!)
 * // { kind: "command", repeated: "kubectl -n shop set image deployment/web web=nginx:1.27", line: 52 }
 */
export function hintLeak(hint: string, fix: FixSection): HintLeak | undefined {
  const flat = collapse(hint.replace(/`/g, " "));
  for (const c of fix.commands) if (flat.includes(c.command)) return { kind: "command", repeated: c.command, line: c.line };
  const fixWords = words(fix.text);
  const runs = new Set<string>();
  for (let i = 0; i + LEAK_RUN_WORDS <= fixWords.length; i++) runs.add(fixWords.slice(i, i + LEAK_RUN_WORDS).join(" "));
  const elsewhere = ` ${words(fix.outside).join(" ")} `;
  const hw = words(hint);
  for (let i = 0; i + LEAK_RUN_WORDS <= hw.length; i++) {
    const run = hw.slice(i, i + LEAK_RUN_WORDS).join(" ");
    if (!runs.has(run) || elsewhere.includes(` ${run} `)) continue;
    // Extend the shared run as far as it goes, so the message quotes all of it.
    let j = i + LEAK_RUN_WORDS;
    while (j < hw.length && runs.has(hw.slice(j - LEAK_RUN_WORDS + 1, j + 1).join(" "))) j++;
    // The line the run starts on: the first whose words, with the next line's, hold its first three.
    const lines = fix.text.split(/\r?\n/);
    const head = hw.slice(i, i + 3).join(" ");
    const holds = (text: string) => ` ${words(text).join(" ")} `.includes(` ${head} `);
    let first = lines.findIndex((l) => holds(l));
    if (first < 0) first = lines.findIndex((l, k) => holds(`${l} ${lines[k + 1] ?? ""}`));
    return { kind: "phrase", repeated: hw.slice(i, j).join(" "), line: first < 0 ? fix.line : fix.line + 1 + first };
  }
  return undefined;
}
