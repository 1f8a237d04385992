import { spawn } from "node:child_process";
import { TimeoutError } from "@/lib/errors";

export interface RunOptions {
  stdin?: string;
  /** Hard limit; the process is killed (SIGKILL) when it runs out. */
  timeoutMs: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The executable was not found on PATH (spawn ENOENT). */
  notFound: boolean;
}

/** Runs one program with an argv array (no shell), bounded by a timeout and an AbortSignal. */
export type RunCommand = (file: string, args: string[], opts: RunOptions) => Promise<RunResult>;

const MAX_OUTPUT = 32 * 1024 * 1024;

export const runCommand: RunCommand = (file, args, opts) =>
  new Promise<RunResult>((resolve, reject) => {
    opts.signal?.throwIfAborted();
    const child = spawn(file, args, { env: opts.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish(() =>
        reject(new TimeoutError(`\`${file} ${args.slice(0, 4).join(" ")}\` did not finish within ${opts.timeoutMs < 10_000 ? (opts.timeoutMs / 1000).toFixed(1) : Math.round(opts.timeoutMs / 1000)} s.`)),
      );
    }, opts.timeoutMs);
    const onAbort = () => {
      child.kill("SIGKILL");
      finish(() => reject(opts.signal?.reason ?? new Error("aborted")));
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      if (stderr.length < MAX_OUTPUT) stderr += d;
    });
    child.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") finish(() => resolve({ code: 127, stdout: "", stderr: `${file}: command not found`, notFound: true }));
      else finish(() => reject(err));
    });
    child.on("close", (code, sig) => finish(() => resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr, notFound: false })));
    // A child that exits before reading stdin makes the write fail with EPIPE; the exit code tells the story.
    child.stdin.on("error", () => {});
    child.stdin.end(opts.stdin ?? "");
  });
