import { randomBytes } from "node:crypto";
import path from "node:path";
import type { ExecOptions, ExecResult } from "@/lib/cluster/types";
import type { NodeHandle } from "./context";

type Exec = (argv: string[], opts?: ExecOptions) => Promise<ExecResult>;

function fail(node: string, what: string, r: ExecResult): Error {
  return new Error(`${what} on node ${node} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
}

/**
 * Where a file's replacement is staged: a hidden name one directory up, so that a watched
 * directory (the kubelet's manifests, containerd's CNI dir) never sees a partial or stray file,
 * while staying on the same filesystem so that `mv` is an atomic rename.
 */
export function stagingPath(target: string): string {
  const dir = path.posix.dirname(target);
  const parent = dir === "/" ? "/" : path.posix.dirname(dir);
  return path.posix.join(parent, `.breakfix-${randomBytes(4).toString("hex")}-${path.posix.basename(target)}`);
}

/**
 * A node as packs see it. Everything goes through `exec` with argv arrays, so the same code
 * works over docker exec (kind), ssh and the sim's node tools.
 *
 * @example
 * const cp = nodeHandle("kind-control-plane", (argv, o) => cluster.exec("kind-control-plane", argv, o));
 * await cp.editFile("/etc/kubernetes/manifests/etcd.yaml", (y) => y.replace("a", "b"));
 */
export function nodeHandle(name: string, exec: Exec): NodeHandle {
  async function readFile(file: string): Promise<string> {
    const r = await exec(["cat", "--", file]);
    if (r.code !== 0) throw fail(name, `reading ${file}`, r);
    return r.stdout;
  }
  async function writeFile(file: string, content: string): Promise<void> {
    const tmp = stagingPath(file);
    const mk = await exec(["mkdir", "-p", "--", path.posix.dirname(file)]);
    if (mk.code !== 0) throw fail(name, `creating the directory of ${file}`, mk);
    const w = await exec(["tee", "--", tmp], { stdin: content });
    if (w.code !== 0) throw fail(name, `writing ${tmp}`, w);
    // Keep the original's mode (a private key stays 0600); a new file keeps tee's default.
    await exec(["chmod", "--reference", file, "--", tmp]);
    const mv = await exec(["mv", "-f", "--", tmp, file]);
    if (mv.code !== 0) {
      await exec(["rm", "-f", "--", tmp]);
      throw fail(name, `moving ${tmp} to ${file}`, mv);
    }
  }
  return {
    name,
    exec,
    readFile,
    writeFile,
    async editFile(file, edit) {
      const before = await readFile(file);
      const after = edit(before);
      if (after === before) return;
      await writeFile(file, after);
    },
  };
}
