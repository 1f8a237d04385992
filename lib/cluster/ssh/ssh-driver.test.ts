import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, InputError, TimeoutError, UnavailableError } from "@/lib/errors";
import { fingerprint, readKnownKeys, trustNode } from "./known-hosts";
import { isPersistentCluster } from "./persistent-cluster";
import { createSshDriver, type SshDriver } from "./ssh-driver";
import { runSshClusterCli } from "./ssh-cluster-cli";
import { knownHostsFile } from "./ssh-state-dir";
import { loadSshClusters } from "./ssh-clusters-file";
import { freePort, sshdUnavailableReason, startTestSshd, type TestSshd } from "./testing/start-test-sshd";
import { TRICKY_ARGS } from "./testing/tricky-args";
import { unlessCi } from "@/lib/testing/required-tools";

const skipReason = unlessCi("ssh-driver.test.ts", sshdUnavailableReason());

/**
 * Integration tests against a real OpenSSH server on a loopback port. Two "nodes" of one
 * configured cluster both point at it; that is enough to exercise everything the driver does
 * over ssh without a second machine.
 */
describe.skipIf(skipReason !== null)(`ssh driver against a real sshd${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let sshd: TestSshd;
  let dataDir: string;
  let driver: SshDriver;
  let silent: net.Server;
  let silentPort: number;
  let closedPort: number;
  let keyFile: string;

  const writeClusters = (extra = "") => {
    const node = (name: string, role: string, more = "") =>
      `      - { name: ${name}, host: 127.0.0.1, port: ${sshd.port}, user: ${sshd.user}, key: ${JSON.stringify(keyFile)}, role: ${role}${more} }`;
    fs.writeFileSync(
      path.join(dataDir, "ssh-clusters.yaml"),
      [
        "clusters:",
        "  - name: lab",
        "    nodes:",
        node("cp1", "control-plane"),
        node("w1", "worker"),
        `    kubeconfig: { from: control-plane, path: ${path.join(dataDir, "admin.conf")} }`,
        "  - name: pinned",
        "    nodes:",
        node("pcp", "control-plane", `, hostKey: "${sshd.hostKey()}"`),
        `    kubeconfig: { from: control-plane, path: ${path.join(dataDir, "admin.conf")}, server: "https://lab.example:16443" }`,
        "  - name: silent",
        "    connectTimeoutSeconds: 1",
        "    nodes:",
        `      - { name: s1, host: 127.0.0.1, port: ${silentPort}, key: ${sshd.clientKey}, role: control-plane, hostKey: "${sshd.hostKey()}" }`,
        "    kubeconfig: { from: control-plane }",
        "  - name: sudoers",
        "    nodes:",
        node("sudo1", "control-plane", `, sudo: true, hostKey: "${sshd.hostKey()}"`),
        "    kubeconfig: { from: control-plane }",
        extra,
      ].join("\n"),
    );
  };

  beforeAll(async () => {
    sshd = await startTestSshd();
    // A space and a % in the data dir and key paths: ssh splits option values on whitespace and
    // expands %-tokens in them, so the driver must escape both.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix ssh %d data-"));
    keyFile = path.join(dataDir, "keys", "lab key");
    fs.mkdirSync(path.dirname(keyFile));
    fs.copyFileSync(sshd.clientKey, keyFile);
    fs.chmodSync(keyFile, 0o600);
    fs.copyFileSync(path.join(import.meta.dirname, "fixtures/admin.conf"), path.join(dataDir, "admin.conf"));
    // A TCP server that accepts and never speaks: ssh must give up after ConnectTimeout.
    silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    silentPort = (silent.address() as net.AddressInfo).port;
    closedPort = await freePort();
    writeClusters();
    driver = createSshDriver({ config: { dataDir, sshClustersFile: path.join(dataDir, "ssh-clusters.yaml") } });
  });

  afterAll(async () => {
    await sshd?.stop();
    silent?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const lab = async () => (await driver.attach("lab"))!;

  it("refuses a node whose host key was never trusted, and says how to trust it", async () => {
    const err = await (await lab()).exec("cp1", ["true"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as UnavailableError).message).toMatch(/Refusing to connect to node cp1 .* host key is not trusted yet/);
    expect((err as UnavailableError).hint).toMatch(/npm run ssh-cluster -- trust/);
    const avail = await driver.available();
    expect(avail.ok).toBe(false);
    expect(avail.missing).toContain("lab/cp1");
  });

  it("trusts a node explicitly, recording the fingerprint the server really has", async () => {
    const cfg = loadSshClusters(path.join(dataDir, "ssh-clusters.yaml")).find((c) => c.name === "lab")!;
    const r = await trustNode(driver.stateDir, cfg.nodes[0]!);
    const [type, base64] = sshd.hostKey().split(" ") as [string, string];
    expect(r.added).toContain(fingerprint({ type, base64 }));
    // The second node is the same server: already trusted, nothing added.
    const again = await trustNode(driver.stateDir, cfg.nodes[1]!);
    expect(again.added).toEqual([]);
    expect(again.known).toContain(fingerprint({ type, base64 }));
  });

  it("runs argv on a node and returns stdout, stderr and the exit code", async () => {
    const c = await lab();
    const r = await c.exec("cp1", ["sh", "-c", "echo out; echo err >&2; exit 3"]);
    expect(r).toEqual({ code: 3, stdout: "out\n", stderr: "err\n" });
    expect((await c.exec("w1", ["true"])).code).toBe(0);
    expect((await c.exec("w1", ["false"])).code).toBe(1);
    // A remote program that itself exits 255 is a result, not an ssh failure.
    expect((await c.exec("w1", ["sh", "-c", "exit 255"])).code).toBe(255);
  });

  it("passes stdin through", async () => {
    const r = await (await lab()).exec("cp1", ["sh", "-c", "cat | tr a-z A-Z"], { stdin: "hello\nworld\n" });
    expect(r.stdout).toBe("HELLO\nWORLD\n");
  });

  it("delivers arguments with spaces, quotes, $, ;, newlines, backslashes and globs intact", async () => {
    const r = await (await lab()).exec("cp1", ["printf", "%s\\0", ...TRICKY_ARGS]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\0").slice(0, -1)).toEqual(TRICKY_ARGS);
    expect(fs.existsSync("/tmp/breakfix-should-not-exist")).toBe(false);
  });

  it("runs commands as `sudo -n -- argv…` for nodes that need sudo, with arguments intact", async () => {
    const before = sshd.sudoCalls();
    const c = (await driver.attach("sudoers"))!;
    const r = await c.exec("sudo1", ["printf", "%s\\0", ...TRICKY_ARGS]);
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\0").slice(0, -1)).toEqual(TRICKY_ARGS);
    expect(sshd.sudoCalls()).toBe(before + 1);
    // Nodes without sudo do not go through it.
    await (await lab()).exec("cp1", ["true"]);
    expect(sshd.sudoCalls()).toBe(before + 1);
  });

  it("says plainly when sudo on a node wants a password", async () => {
    sshd.denySudo(true);
    try {
      const [check] = await (await driver.attach("sudoers"))!.checkNodes();
      expect(check).toMatchObject({ node: "sudo1", ok: false });
      expect(check!.detail).toMatch(/needs passwordless sudo: ".* ALL=\(ALL\) NOPASSWD: ALL"/);
    } finally {
      sshd.denySudo(false);
    }
    expect((await (await driver.attach("sudoers"))!.checkNodes())[0]).toEqual({ node: "sudo1", ok: true });
  });

  it("rejects an unknown node and an empty argv before connecting", async () => {
    const c = await lab();
    await expect(c.exec("nope", ["true"])).rejects.toThrow(/Cluster lab has no node "nope"/);
    await expect(c.exec("cp1", [])).rejects.toThrow(InputError);
  });

  it("stops a command that outlives its timeout, says which one, and leaves nothing running on the node", async () => {
    // A duration no other process uses, so the node (this machine) can be searched for it.
    const marker = `${40 + (process.pid % 1000) / 1000}`;
    const running = () =>
      fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p)).some((p) => {
        try {
          return fs.readFileSync(`/proc/${p}/cmdline`, "utf8") === `sleep\0${marker}\0`;
        } catch {
          return false;
        }
      });
    const t0 = Date.now();
    const pending = (await lab()).exec("cp1", ["sleep", marker], { timeoutMs: 3000 }).catch((e: unknown) => e);
    let seen = false;
    while (!seen && Date.now() - t0 < 3000) {
      seen = running();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen, "the remote sleep started").toBe(true);
    const err = await pending;
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toMatch(new RegExp(`"sleep ${marker.replace(".", "\\.")}" on node cp1 did not finish within 3000 ms`));
    expect(Date.now() - t0).toBeLessThan(6000);
    // Killing ssh alone would leave it running for 40 s; the remote bound (timeout + 1 s) ends it.
    const deadline = Date.now() + 8000;
    while (running() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(running(), "the remote sleep is gone within the remote bound").toBe(false);
  });

  it("honours an AbortSignal", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    await expect((await lab()).exec("cp1", ["sleep", "30"], { signal: ac.signal })).rejects.toThrow(/cancelled/);
  });

  it("gives up on a node that accepts TCP but never answers, after the connect timeout", async () => {
    const t0 = Date.now();
    const err = await (await driver.attach("silent"))!.exec("s1", ["true"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).toMatch(/node s1 .* cannot be reached over ssh: .*timed out/);
    expect(Date.now() - t0).toBeLessThan(8000);
  });

  it("reports nodes that do not answer in available(), and is ok when every node answers", async () => {
    writeClusters(
      [
        "  - name: down",
        "    connectTimeoutSeconds: 2",
        "    nodes:",
        `      - { name: d1, host: 127.0.0.1, port: ${closedPort}, key: ${sshd.clientKey}, role: control-plane, hostKey: "${sshd.hostKey()}" }`,
        "    kubeconfig: { from: control-plane }",
      ].join("\n"),
    );
    try {
      const avail = await driver.available();
      expect(avail.ok).toBe(false);
      expect(avail.missing).toEqual(expect.arrayContaining(["down/d1", "silent/s1"]));
      expect(avail.missing).not.toContain("lab/cp1");
      expect(avail.details?.join("\n")).toMatch(/down\/d1: .*Connection refused/);
    } finally {
      writeClusters();
    }
    const only = createSshDriver({ config: { dataDir, sshClustersFile: path.join(dataDir, "only-lab.yaml") } });
    fs.writeFileSync(
      path.join(dataDir, "only-lab.yaml"),
      fs.readFileSync(path.join(dataDir, "ssh-clusters.yaml"), "utf8").split("  - name: silent")[0]!,
    );
    expect(await only.available()).toEqual({ ok: true, missing: [], details: [] });
  });

  it("fetches admin.conf from the control plane and rewrites the server to the address ssh uses", async () => {
    const kc = await (await lab()).kubeconfig();
    expect(kc).toMatch(/server: https:\/\/127\.0\.0\.1:6443\n/);
    expect(kc).not.toContain("10.0.0.10");
    expect(kc).toContain("client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb2dJQkFBS0NBUUVBZmFrZWtleWZvcnRlc3RzCi0tLS0tRU5EIFJTQSBQUklWQVRFIEtFWS0tLS0tCg==");
    // A configured server wins; a pinned host key needs no trust step.
    expect(await (await driver.attach("pinned"))!.kubeconfig()).toMatch(/server: https:\/\/lab\.example:16443\n/);
  });

  it("lists nodes with their roles, control planes first", async () => {
    const c = await lab();
    expect(await c.nodes()).toEqual([
      { name: "cp1", role: "control-plane" },
      { name: "w1", role: "worker" },
    ]);
    expect(await driver.list()).toEqual(["lab", "pinned", "silent", "sudoers"]);
    expect(await driver.attach("nope")).toBeNull();
  });

  it("gives a cluster to one lab at a time: create() leases, a second start fails clearly, destroy() releases", async () => {
    const a = await driver.create({ name: "lab", workers: 1 });
    expect(a.name).toBe("lab");
    expect(isPersistentCluster(a)).toBe(true);
    expect(a.lease()?.holder).toBe("lab");
    const busy = await driver.create({ name: "lab", workers: 1 }).then(() => null, (e: unknown) => e);
    // The same holder re-attaches; a different lab is refused.
    expect(busy).toBeNull();
    const other = await driver.create({ name: "session-42", workers: 1 }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ConflictError);
    expect((other as Error).message).toMatch(/No ssh cluster is free for session-42: lab is in use by lab/);
    await a.destroy();
    expect(a.lease()).toBeNull();
    // After attach() (scenario:test --cluster), the lease is taken explicitly, with a clear error when busy.
    const attached = (await driver.attach("lab"))!;
    await attached.acquire("scenario-test:1");
    await expect(driver.create({ name: "session-42", workers: 1 })).rejects.toThrow(/in use by scenario-test:1/);
    expect(attached.release("someone-else")).toBe(false);
    expect(attached.release("scenario-test:1")).toBe(true);
    const b = await driver.create({ name: "session-42", workers: 1 });
    expect(b.name).toBe("lab");
    expect(b.lease()?.holder).toBe("session-42");
    // The lab layer re-attaches with the name it created the cluster under.
    expect((await driver.attach("session-42"))?.name).toBe("lab");
    await b.destroy();
    expect(await driver.attach("session-42")).toBeNull();
  });

  it("picks a cluster whose shape fits, and refuses a spec no cluster fits", async () => {
    const c = await driver.create({ name: "session-0w", workers: 0 });
    // The smallest fitting cluster that answers: "pinned" has no workers.
    expect(c.name).toBe("pinned");
    await c.destroy();
    await expect(driver.create({ name: "session-3w", workers: 3 })).rejects.toThrow(/No configured ssh cluster has 3 worker node\(s\)/);
    await expect(driver.create({ name: "pinned", workers: 1 })).rejects.toThrow(/Cluster pinned has 0 worker node\(s\); this lab needs 1/);
  });

  it("starts no new lab on a cluster marked as needing an instructor", async () => {
    const c = await driver.create({ name: "session-x", workers: 1 });
    c.markNeedsInstructor("reset failed: check etcd-healthy still fails", { scenario: "etcd-crashloop" });
    await c.destroy();
    const err = await driver.create({ name: "session-y", workers: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).toMatch(/lab needs an instructor \(reset failed: check etcd-healthy still fails\)/);
    expect(c.needsInstructor()?.context).toEqual({ scenario: "etcd-crashloop" });
    fs.rmSync(path.join(driver.stateDir, "needs-instructor"), { recursive: true });
  });

  it("gives instructors list, check, trust, release and clear through npm run ssh-cluster", async () => {
    const config = { dataDir, sshClustersFile: path.join(dataDir, "ssh-clusters.yaml") };
    const run = async (...argv: string[]) => {
      const lines: string[] = [];
      const code = await runSshClusterCli(argv, config, { out: (l) => lines.push(l), err: (l) => lines.push(`ERR ${l}`) });
      return { code, text: lines.join("\n") };
    };
    const held = await driver.create({ name: "session-cli", workers: 1 });
    held.markNeedsInstructor("reset failed");
    let r = await run("list");
    expect(r.code).toBe(0);
    expect(r.text).toMatch(/^lab: NEEDS AN INSTRUCTOR since .*: reset failed$/m);
    expect(r.text).toMatch(new RegExp(`^  cp1 \\(control-plane\\) ${sshd.user}@\\[127\\.0\\.0\\.1\\]:${sshd.port}, host key trusted$`, "m"));
    expect(r.text).toMatch(/^  pcp \(control-plane\) .*host key pinned$/m);
    r = await run("check", "lab");
    // ssh and the kubeconfig are fine; the fixture's API server and certificates are not real,
    // so kubectl fails, and check reports kubectl's own words.
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/^cp1: ok\nw1: ok\nkubeconfig: ok \(server https:\/\/127\.0\.0\.1:6443\)\napi: FAILED: error: .+$/m);
    r = await run("check", "silent");
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/^s1: FAILED: .*cannot be reached/m);
    r = await run("trust", "lab", "--node", "w1");
    expect(r).toMatchObject({ code: 0, text: expect.stringMatching(/^w1 \(\[127\.0\.0\.1\]:\d+\): already trusted \(SHA256:/) });
    r = await run("release", "lab");
    expect(r.text).toMatch(/Released lab \(was in use by session-cli\)/);
    expect(held.lease()).toBeNull();
    r = await run("clear", "lab");
    expect(r.text).toMatch(/Cleared: lab can be given to labs again/);
    expect(held.needsInstructor()).toBeNull();
    expect((await run("trust", "nope")).text).toMatch(/No ssh cluster named "nope"/);
    expect((await run("forget", "lab")).code).toBe(2);
    expect((await run("frobnicate")).code).toBe(2);
  });

  it("refuses a node whose host key changed, and never replaces the trusted key", async () => {
    const before = fs.readFileSync(knownHostsFile(driver.stateDir), "utf8");
    const oldKey = sshd.hostKey();
    await sshd.regenerateHostKey();
    expect(sshd.hostKey()).not.toBe(oldKey);
    const err = await (await lab()).exec("cp1", ["true"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).toMatch(/Refusing to connect to node cp1 .*host key has changed/);
    // Pinned keys are refused just the same.
    await expect((await driver.attach("pinned"))!.exec("pcp", ["true"])).rejects.toThrow(/host key/);
    // trust does not overwrite a changed key either.
    const cfg = loadSshClusters(path.join(dataDir, "ssh-clusters.yaml")).find((c) => c.name === "lab")!;
    await expect(trustNode(driver.stateDir, cfg.nodes[0]!)).rejects.toThrow(ConflictError);
    expect(fs.readFileSync(knownHostsFile(driver.stateDir), "utf8")).toBe(before);
    expect(readKnownKeys(knownHostsFile(driver.stateDir), `[127.0.0.1]:${sshd.port}`).map((k) => `${k.type} ${k.base64}`)).toContain(oldKey);
  });
});
