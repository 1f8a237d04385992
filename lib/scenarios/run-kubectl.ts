import { spawn } from "node:child_process";
import type { ExecOptions, ExecResult } from "@/lib/cluster/types";

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Runs the real kubectl with KUBECONFIG=file. Never throws on a non-zero exit: a failing
 * kubectl is an answer a check wants to read. A missing binary or a timeout becomes exit 127/124
 * with a message on stderr, like a shell would report it.
 *
 * @example
 * const r = await runKubectl("/tmp/x/kubeconfig", ["get", "nodes", "-o", "name"]);
 * if (r.code === 0) console.log(r.stdout);
 */
export function runKubectl(kubeconfigFile: string, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    // KUBECONFIG rather than --kubeconfig: a flag before the subcommand breaks kubectl plugins.
    const child = spawn("kubectl", argv, {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, KUBECONFIG: kubeconfigFile },
    });
    let stdout = "";
    let stderr = "";
    let settled = false;
    const finish = (r: ExecResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      resolve(r);
    };
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish({ code: 124, stdout, stderr: `${stderr}kubectl ${argv.join(" ")}: timed out after ${timeoutMs} ms\n` });
    }, timeoutMs);
    const onAbort = () => {
      child.kill("SIGKILL");
      finish({ code: 130, stdout, stderr: `${stderr}kubectl ${argv.join(" ")}: aborted\n` });
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", (err) => finish({ code: 127, stdout, stderr: `kubectl: ${err.message}\n` }));
    child.on("close", (code) => finish({ code: code ?? 1, stdout, stderr }));
    child.stdin.on("error", () => undefined);
    child.stdin.end(opts.stdin ?? "");
  });
}
