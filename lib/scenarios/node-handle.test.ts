import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { ExecResult } from "@/lib/cluster/types";
import { nodeHandle, stagingPath } from "./node-handle";

// A "node" whose filesystem is this machine's: real cat/tee/mv, paths under a temp dir.
const root = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-node-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const calls: string[][] = [];
const node = nodeHandle("fake", async (argv, opts): Promise<ExecResult> => {
  calls.push(argv);
  const r = spawnSync(argv[0]!, argv.slice(1), { input: opts?.stdin ?? "", encoding: "utf8" });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
});

describe("nodeHandle", () => {
  it("stages a file outside its directory, on the same filesystem", () => {
    const s = stagingPath("/etc/kubernetes/manifests/etcd.yaml");
    expect(path.posix.dirname(s)).toBe("/etc/kubernetes");
    expect(path.posix.basename(s)).toMatch(/^\.breakfix-[0-9a-f]{8}-etcd\.yaml$/);
  });

  it("edits a file atomically: the watched directory only ever sees the final file", async () => {
    const dir = path.join(root, "manifests");
    fs.mkdirSync(dir);
    const file = path.join(dir, "etcd.yaml");
    fs.writeFileSync(file, "a: 1\n", { mode: 0o600 });
    const seen = new Set<string>();
    const watcher = fs.watch(dir, (_e, name) => name && seen.add(String(name)));
    await node.editFile(file, (s) => s.replace("1", "2"));
    // inotify reports in order: once the final rename shows, any stray file would have shown before it.
    await vi.waitFor(() => expect(seen.has("etcd.yaml")).toBe(true), { timeout: 5000, interval: 10 });
    watcher.close();
    expect(fs.readFileSync(file, "utf8")).toBe("a: 2\n");
    expect([...seen]).toEqual(["etcd.yaml"]);
    expect(fs.readdirSync(dir)).toEqual(["etcd.yaml"]);
    expect(fs.readdirSync(root).filter((f) => f.startsWith(".breakfix-"))).toEqual([]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(calls.some((c) => c[0] === "mv")).toBe(true);
  });

  it("does not write at all when the edit changes nothing", async () => {
    const file = path.join(root, "same.txt");
    fs.writeFileSync(file, "x");
    calls.length = 0;
    await node.editFile(file, (s) => s);
    expect(calls.map((c) => c[0])).toEqual(["cat"]);
  });

  it("says which file on which node could not be read", async () => {
    await expect(node.readFile(path.join(root, "nope"))).rejects.toThrow(/reading .*nope on node fake failed \(exit 1\)/);
  });
});
