import { describe, expect, it } from "vitest";
import { tokenizeScript } from "./tokenize-script";

describe("script tokenizer", () => {
  it("splits statements at ;, newlines, && and ||, keeping the separator after each", () => {
    expect(tokenizeScript("echo a; echo b && false || echo c\nexit 2")).toEqual([
      { words: ["echo", "a"], sep: ";" },
      { words: ["echo", "b"], sep: "&&" },
      { words: ["false"], sep: "||" },
      { words: ["echo", "c"], sep: ";" },
      { words: ["exit", "2"], sep: ";" },
    ]);
  });

  it("keeps quoted text as one word, with separators inside quotes left alone", () => {
    expect(tokenizeScript(`echo 'a; b' "c && d" e\\ f`)).toEqual([{ words: ["echo", "a; b", "c && d", "e f"], sep: ";" }]);
  });

  it("keeps an empty quoted word, and drops empty statements", () => {
    expect(tokenizeScript(`echo "" ;; ; true`)).toEqual([
      { words: ["echo", ""], sep: ";" },
      { words: ["true"], sep: ";" },
    ]);
  });

  it("unescapes inside double quotes only where a backslash is", () => {
    expect(tokenizeScript(`echo "say \\"hi\\" to $USER"`)).toEqual([{ words: ["echo", 'say "hi" to $USER'], sep: ";" }]);
  });
});
