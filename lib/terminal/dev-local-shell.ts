import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Config } from "@/lib/config";
import { NotFoundError } from "@/lib/errors";
import type { TerminalTarget, TerminalTargetResolver } from "./terminal-target";

/** The pseudo lab session id of the development shell. Real lab ids are cuids and never match. */
export const DEV_LAB_SESSION_ID = "dev-local";
const NODE_NAME = /^[a-z][a-z0-9-]{0,30}$/;

function findBash(): string {
  for (const p of ["/bin/bash", "/usr/bin/bash", "/usr/local/bin/bash"]) if (fs.existsSync(/*turbopackIgnore: true*/ p)) return p;
  return "bash";
}

/**
 * Development-only shell: bash in a fresh temporary directory on the server's own machine, so the
 * terminal can be built and tested before the cluster drivers exist. It is a real shell on the
 * host, so it is refused unless config.devShell (never in shared mode; in production only with
 * BREAKFIX_DEV_SHELL=1). The environment is built from scratch: the server's own env holds
 * BREAKFIX_SECRET and must not leak into a shell.
 */
export class DevLocalShellResolver implements TerminalTargetResolver {
  constructor(private readonly config: Pick<Config, "devShell" | "mode">) {}

  private check(labSessionId: string, node: string): void {
    if (!this.config.devShell || this.config.mode === "shared" || labSessionId !== DEV_LAB_SESSION_ID || !NODE_NAME.test(node)) {
      throw new NotFoundError("No such lab session or node.");
    }
  }

  async authorize(_userId: string, labSessionId: string, node: string): Promise<void> {
    this.check(labSessionId, node);
  }

  async resolve(_userId: string, labSessionId: string, node: string): Promise<TerminalTarget> {
    this.check(labSessionId, node);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-dev-shell-"));
    return {
      shell: {
        file: findBash(),
        args: ["--noprofile", "--norc", "-i"],
        cwd: dir,
        env: {
          HOME: dir,
          PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
          TERM: "xterm-256color",
          LANG: "C.UTF-8",
          PS1: `${node}:\\w$ `, // a literal $ even for root, so prompts are predictable
          HISTFILE: path.join(dir, ".bash_history"),
        },
      },
      linkRecording: false,
      cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
}
