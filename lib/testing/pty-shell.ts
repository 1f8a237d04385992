import * as pty from "node-pty";
import type { ShellSpec } from "@/lib/cluster/types";

async function until(what: string, fn: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A node shell on a real pty, driven as a person drives it: wait for the prompt, type a line,
 * read what it printed. For tests of what a learner's terminal sees.
 */
export class PtyShell {
  readonly term: pty.IPty;
  readonly startedAt = Date.now();
  private out = "";
  private exited: number | null = null;

  constructor(spec: ShellSpec) {
    this.term = pty.spawn(spec.file, spec.args, { name: "xterm-256color", cols: 200, rows: 50, env: spec.env });
    this.term.onData((d) => (this.out += d));
    this.term.onExit(({ exitCode }) => (this.exited = exitCode));
  }

  /** Waits for `prompt` (e.g. `root@lab-control-plane:/# `); resolves with ms since spawn. */
  async prompt(prompt: string, timeoutMs = 30_000): Promise<number> {
    await until(`the prompt ${JSON.stringify(prompt)}`, () => this.out.includes(prompt), timeoutMs);
    return Date.now() - this.startedAt;
  }

  /** Runs one line; resolves with what it printed (stdout and stderr, as the terminal shows them) and $?. */
  async run(line: string, timeoutMs = 30_000): Promise<{ code: number; output: string }> {
    const start = this.out.length;
    // The typed line echoes as `"EN""D:$?"`; only the command's result prints END:<code>.
    this.term.write(`${line}; echo "EN""D:$?"\r`);
    let m: RegExpExecArray | null = null;
    await until(`\`${line}\` to finish`, () => (m = /END:(\d+)\r?\n/.exec(this.out.slice(start))) !== null, timeoutMs);
    const text = this.out.slice(start, start + m!.index);
    // Drop the echoed command line itself, and bash's bracketed-paste switches.
    const output = text
      .slice(text.indexOf("\n") + 1)
      .replace(/\r/g, "")
      .replace(/\x1b\[\?2004[hl]/g, "");
    return { code: Number(m![1]), output };
  }

  /** Types `exit`; resolves with the shell's exit code. */
  async exit(): Promise<number> {
    this.term.write("exit\r");
    await until("the shell to exit", () => this.exited !== null, 10_000);
    return this.exited!;
  }
}
