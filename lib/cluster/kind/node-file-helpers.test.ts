import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ExecOptions, ExecResult } from "@/lib/cluster/types";
import { InputError, TimeoutError } from "@/lib/errors";
import { backupPathFor, ensureStaticPodReloaded, restoreKindnetConflist, tempPathFor, writeNodeFileAtomic } from "./node-file-helpers";
import { runCommand } from "./run-command";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A "node" that is this machine: argv runs locally, exactly as docker exec would run it in a node. */
const localNode = {
  async exec(_node: string, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const r = await runCommand(argv[0]!, argv.slice(1), { stdin: opts.stdin, timeoutMs: opts.timeoutMs ?? 10_000 });
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  },
};

/** A scripted node: answers by the first matching rule and records every argv. */
function scriptedNode(answer: (argv: string[]) => ExecResult) {
  const calls: string[][] = [];
  return {
    calls,
    async exec(_node: string, argv: string[]): Promise<ExecResult> {
      calls.push(argv);
      return answer(argv);
    },
  };
}
const ok = (stdout = ""): ExecResult => ({ code: 0, stdout, stderr: "" });

describe("tempPathFor / backupPathFor", () => {
  it("stages a manifest one directory up, never inside the directory the kubelet watches", () => {
    expect(tempPathFor("/etc/kubernetes/manifests/etcd.yaml", "ab12")).toBe("/etc/kubernetes/.breakfix-etcd.yaml.ab12");
    expect(tempPathFor("/etc/cni/net.d/10-kindnet.conflist", "x")).toBe("/etc/cni/.breakfix-10-kindnet.conflist.x");
  });
  it("stays inside a directory that is a mount point in a kind node, so mv is still a rename", () => {
    expect(tempPathFor("/var/kubelet.flags", "x")).toBe("/var/.breakfix-kubelet.flags.x");
    expect(tempPathFor("/motd", "x")).toBe("/.breakfix-motd.x");
  });
  it("keeps backups out of the manifests directory", () => {
    expect(backupPathFor("/etc/kubernetes/manifests/etcd.yaml")).toBe("/var/lib/breakfix-backups/etc/kubernetes/manifests/etcd.yaml");
    expect(() => backupPathFor("/etc/../root/x")).toThrow(InputError);
  });
});

describe("writeNodeFileAtomic", () => {
  it("replaces a file through a temp file and mv, keeping its mode and leaving nothing else in the directory", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-atomic-"));
    dirs.push(root);
    const manifests = path.join(root, "etc", "kubernetes", "manifests");
    fs.mkdirSync(manifests, { recursive: true });
    const target = path.join(manifests, "etcd.yaml");
    fs.writeFileSync(target, "old: true\n", { mode: 0o600 });
    const inodeBefore = fs.statSync(target).ino;

    await writeNodeFileAtomic(localNode, "n", target, "apiVersion: v1\nkind: Pod\n");

    expect(fs.readFileSync(target, "utf8")).toBe("apiVersion: v1\nkind: Pod\n");
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    expect(fs.statSync(target).ino).not.toBe(inodeBefore); // a rename, not an in-place write
    expect(fs.readdirSync(manifests)).toEqual(["etcd.yaml"]);
    expect(fs.readdirSync(path.dirname(manifests))).toEqual(["manifests"]);
  });

  it("creates a new file with the given mode, and passes paths as arguments, not script text", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-atomic-"));
    dirs.push(root);
    const target = path.join(root, "etc", "new.conf");
    await writeNodeFileAtomic(localNode, "n", target, "x=1\n", { mode: "0640" });
    expect(fs.statSync(target).mode & 0o777).toBe(0o640);
    const node = scriptedNode(() => ok());
    await writeNodeFileAtomic(node, "n", "/etc/kubernetes/manifests/kube-apiserver.yaml", "y");
    expect(node.calls[0]!.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(node.calls[0]!.slice(3, 5)).toEqual(["sh", expect.stringMatching(/^\/etc\/kubernetes\/\.breakfix-kube-apiserver\.yaml\./)]);
    expect(node.calls[0]![5]).toBe("/etc/kubernetes/manifests/kube-apiserver.yaml");
    expect(node.calls[0]![2]).not.toContain("kube-apiserver");
    await expect(writeNodeFileAtomic(node, "n", "/etc/$(reboot)", "y")).rejects.toBeInstanceOf(InputError);
  });
});

describe("ensureStaticPodReloaded", () => {
  const crictl = (createdAt: string) =>
    ok(JSON.stringify({ containers: [{ id: "c1", podSandboxId: "p1", metadata: { name: "etcd", attempt: 3 }, image: { image: "registry.k8s.io/etcd:3.6.5-0" }, imageRef: "sha256:1", state: "CONTAINER_RUNNING", createdAt, labels: {}, annotations: {} }] }));

  it("returns without restarting the kubelet when a new container appears on its own", async () => {
    const node = scriptedNode(() => crictl("2000"));
    expect(await ensureStaticPodReloaded(node, "cp", { container: "etcd", since: 1000n, pollMs: 10 })).toEqual({ restartedKubelet: false });
    expect(node.calls).toEqual([["crictl", "ps", "-a", "--name", "^etcd$", "-o", "json"]]);
  });

  it("falls back to systemctl restart kubelet when the change is not picked up", async () => {
    let restarted = false;
    const node = scriptedNode((argv) => {
      if (argv[0] === "systemctl") {
        restarted = true;
        return ok();
      }
      return crictl(restarted ? "1763713300000000001" : "500");
    });
    const r = await ensureStaticPodReloaded(node, "cp", { container: "etcd", since: 1763713200000000000n, fallbackAfterMs: 50, pollMs: 10 });
    expect(r).toEqual({ restartedKubelet: true });
    expect(node.calls.filter((c) => c[0] === "systemctl")).toEqual([["systemctl", "restart", "kubelet"]]);
  });

  it("gives up after the timeout, naming the container and node", async () => {
    const node = scriptedNode((argv) => (argv[0] === "systemctl" ? ok() : crictl("1")));
    await expect(ensureStaticPodReloaded(node, "cp", { container: "etcd", since: 5n, fallbackAfterMs: 10, timeoutMs: 80, pollMs: 10 })).rejects.toThrow(
      TimeoutError,
    );
    await expect(ensureStaticPodReloaded(node, "cp", { container: "etcd", since: 5n, fallbackAfterMs: 10, timeoutMs: 80, pollMs: 10 })).rejects.toThrow(
      /new etcd container on cp \(the kubelet was restarted once\)/,
    );
  });
});

describe("restoreKindnetConflist", () => {
  it("deletes the node's kindnet pod (kindnet does not rewrite a deleted conflist) and waits for the file", async () => {
    let checks = 0;
    const node = scriptedNode((argv) => (argv[0] === "test" ? { code: ++checks < 3 ? 1 : 0, stdout: "", stderr: "" } : ok('pod "kindnet-7x2kq" deleted\n')));
    await restoreKindnetConflist(node, "lab-control-plane", "lab-worker", { pollMs: 5 });
    expect(node.calls[0]).toEqual([
      "kubectl", "-n", "kube-system", "delete", "pod", "-l", "app=kindnet", "--field-selector", "spec.nodeName=lab-worker", "--wait=false",
    ]);
    expect(node.calls.slice(1)).toEqual(Array(3).fill(["test", "-s", "/etc/cni/net.d/10-kindnet.conflist"]));
  });
});
