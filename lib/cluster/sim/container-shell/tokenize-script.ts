/** One statement of a script: its words and the separator after it (`;`, `&&` or `||`). */
export interface ScriptStatement {
  words: string[];
  sep: string;
}

/** Splits a shell line into words, honouring quotes; returns statements with their separators. */
export function tokenizeScript(script: string): ScriptStatement[] {
  const out: ScriptStatement[] = [];
  let words: string[] = [];
  let cur = "";
  let has = false;
  let i = 0;
  const push = () => {
    if (has) words.push(cur);
    cur = "";
    has = false;
  };
  const end = (sep: string) => {
    push();
    if (words.length) out.push({ words, sep });
    words = [];
  };
  while (i < script.length) {
    const c = script[i]!;
    if (c === "'") {
      const j = script.indexOf("'", i + 1);
      cur += script.slice(i + 1, j < 0 ? undefined : j);
      has = true;
      i = j < 0 ? script.length : j + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < script.length && script[j] !== '"') {
        if (script[j] === "\\" && j + 1 < script.length) j++;
        cur += script[j];
        j++;
      }
      has = true;
      i = j + 1;
    } else if (c === "\\" && i + 1 < script.length) {
      cur += script[i + 1];
      has = true;
      i += 2;
    } else if (c === ";" || c === "\n") {
      end(";");
      i++;
    } else if (c === "&" && script[i + 1] === "&") {
      end("&&");
      i += 2;
    } else if (c === "|" && script[i + 1] === "|") {
      end("||");
      i += 2;
    } else if (c === " " || c === "\t") {
      push();
      i++;
    } else {
      cur += c;
      has = true;
      i++;
    }
  }
  end(";");
  return out;
}
