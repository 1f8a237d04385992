import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestTerminalClient, startTerminalTestServer, type TerminalTestServer } from "@/lib/terminal/terminal-test-kit";
import type { TerminalTargetResolver } from "@/lib/terminal/terminal-target";
import { createSshDriver, type SshDriver } from "./ssh-driver";
import { sshdUnavailableReason, startTestSshd, type TestSshd } from "./testing/start-test-sshd";
import { unlessCi } from "@/lib/testing/required-tools";

const skipReason = unlessCi("ssh-shell.test.ts", sshdUnavailableReason());

/**
 * The learner's path: browser → WebSocket → the real terminal server → node-pty spawning the
 * driver's shell(node) spec → ssh -t → a real sshd → bash -l on the "node".
 */
describe.skipIf(skipReason !== null)(`ssh node shell through the terminal server${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let sshd: TestSshd;
  let dataDir: string;
  let driver: SshDriver;
  let term: TerminalTestServer;

  beforeAll(async () => {
    sshd = await startTestSshd();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-ssh-shell-"));
    const file = path.join(dataDir, "ssh-clusters.yaml");
    fs.writeFileSync(
      file,
      [
        "clusters:",
        "  - name: lab",
        "    nodes:",
        `      - { name: cp1, host: 127.0.0.1, port: ${sshd.port}, user: ${sshd.user}, key: ${sshd.clientKey}, role: control-plane, hostKey: "${sshd.hostKey()}" }`,
        "    kubeconfig: { from: control-plane }",
        "",
      ].join("\n"),
    );
    driver = createSshDriver({ config: { dataDir, sshClustersFile: file } });
    const resolver: TerminalTargetResolver = {
      async authorize() {},
      async resolve(_user, _lab, node) {
        const cluster = await driver.attach("lab");
        return { shell: cluster!.shell(node), linkRecording: false };
      },
    };
    term = await startTerminalTestServer({ resolver, detachGraceMs: 1000 });
  });

  afterAll(async () => {
    await term?.close();
    await sshd?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("opens an interactive login shell on the node with a tty, and ends with the shell's exit code", async () => {
    const c = await TestTerminalClient.connect(term.url, term.mint({ userId: "u1", labSessionId: "lab-1", node: "cp1" }), { origin: term.origin, cols: 100, rows: 30 });
    c.type("echo ssh-$((40+2))-shell; tty; stty size; shopt -q login_shell && echo login-$((6*7))\r");
    await c.waitForText("ssh-42-shell", 0, 20_000);
    await c.waitForText(/\/dev\/pts\/\d+/, 0, 10_000);
    await c.waitForText("30 100", 0, 10_000);
    await c.waitForText("login-42", 0, 10_000);
    c.type("exit 7\r");
    await c.until(() => c.messages.some((m) => m.type === "exit"), "the exit frame", 15_000);
    expect(c.messages.find((m) => m.type === "exit")).toMatchObject({ type: "exit", code: 7 });
    await c.closed;
  });
});
