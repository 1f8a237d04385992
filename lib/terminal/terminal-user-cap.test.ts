import os from "node:os";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TerminalTarget, TerminalTargetResolver } from "./terminal-target";
import { TestTerminalClient, startTerminalTestServer, type TerminalTestServer } from "./terminal-test-kit";

/** Any lab, any node: a real bash, so the cap is what refuses, not the resolver. */
const anyLab: TerminalTargetResolver = {
  async authorize() {},
  async resolve(_user, _lab, node): Promise<TerminalTarget> {
    return {
      shell: { file: "bash", args: ["--noprofile", "--norc", "-i"], cwd: os.tmpdir(), env: { PATH: process.env.PATH ?? "/usr/bin:/bin", TERM: "xterm-256color", PS1: `${node}$ ` } },
      linkRecording: false,
    };
  },
};

let srv: TerminalTestServer;
const clients: TestTerminalClient[] = [];

beforeAll(async () => {
  srv = await startTerminalTestServer({ resolver: anyLab, maxPerUser: 3, maxPerLab: 8, detachGraceMs: 1_000 });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => (c.closeCode === null ? c.close() : c.closed)));
});
afterAll(async () => {
  await srv.close();
});

async function open(userId: string, labSessionId: string, node: string): Promise<TestTerminalClient> {
  const c = await TestTerminalClient.connect(srv.url, srv.mint({ userId, labSessionId, node }), { origin: srv.origin });
  clients.push(c);
  await c.waitForText(`${node}$ `);
  return c;
}

describe("terminals per user", () => {
  it("caps one user's terminals over all their labs (429, no process started), not other users'", async () => {
    await open("ana", "lab1", "n1");
    await open("ana", "lab2", "n1");
    await open("ana", "lab3", "n1");
    const spawned = srv.manager.spawned;
    const refused = await TestTerminalClient.connect(srv.url, srv.mint({ userId: "ana", labSessionId: "lab4", node: "n1" }), { origin: srv.origin }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ status: 429 });
    expect(String((refused as { body: string }).body)).toContain("You already have 3 terminals open, the most allowed.");
    expect(srv.manager.spawned).toBe(spawned);
    // Reattaching to one already open is not a new terminal.
    await open("ana", "lab1", "n1");
    await open("ben", "lab9", "n1");
    expect(srv.manager.spawned).toBe(spawned + 1);
  });
});
