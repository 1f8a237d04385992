import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_USER_EMAIL, getCurrentUser } from "@/lib/auth/current-user";
import type { Cluster } from "@/lib/cluster/types";
import { parseConfig } from "@/lib/config";
import { ForbiddenError, InputError, NotFoundError, UnauthorizedError, UnavailableError } from "@/lib/errors";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMigrations } from "@/lib/server/migrate";
import { createAsciicastRecorder } from "./asciicast-recorder";
import { DevLocalShellResolver } from "./dev-local-shell";
import { LabSessionTargetResolver } from "./lab-session-target-resolver";
import { listRecordings, openRecording, openRecordingForInstructor } from "./open-recording";
import { CLOSE } from "./protocol";
import { SECRET_FILE, loadTerminalSecret } from "./terminal-secret";
import { TestTerminalClient, UpgradeRefused, startTerminalTestServer, type TerminalTestServer } from "./terminal-test-kit";
import { parseTokenRequest } from "./token-request";

/**
 * Terminals on LabSession rows in a real SQLite database (migrated like the app's), with a cluster
 * whose shell() is local bash, standing in for a driver: ownership, lab state and node checks,
 * and recordings linked to the lab and replayed to their owner only.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-lab-terminal-"));
const dataDir = path.join(dir, "data");
const url = `file:${path.join(dir, "test.db")}`;
let prisma: PrismaClient;
let srv: TerminalTestServer;
let alice: string;
let bob: string;
let labReady: string;
let labPassed: string;
let labNoCluster: string;

const shellDir = path.join(dir, "home");
const cluster: Cluster = {
  name: "c1",
  driver: "sim",
  nodes: async () => [
    { name: "cp", role: "control-plane" },
    { name: "worker-1", role: "worker" },
  ],
  kubeconfig: async () => "",
  exec: async () => ({ code: 0, stdout: "", stderr: "" }),
  shell: (node) => ({
    file: "/bin/bash",
    args: ["--noprofile", "--norc", "-i"],
    cwd: shellDir,
    env: { HOME: shellDir, PATH: process.env.PATH ?? "/usr/bin:/bin", TERM: "xterm-256color", PS1: `${node}$ ` },
  }),
  destroy: async () => {},
};

beforeAll(async () => {
  fs.mkdirSync(shellDir, { recursive: true });
  applyMigrations(url);
  prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
  alice = (await prisma.user.create({ data: { name: "alice" } })).id;
  bob = (await prisma.user.create({ data: { name: "bob" } })).id;
  const lab = (state: string, clusterName: string | null) =>
    prisma.labSession.create({ data: { userId: alice, scenarioId: "s", variantId: "v", driver: "sim", clusterName, state } }).then((l) => l.id);
  labReady = await lab("ready", "c1");
  labPassed = await lab("passed", "c1");
  labNoCluster = await lab("ready", "gone");
  srv = await startTerminalTestServer({
    resolver: new LabSessionTargetResolver({ prisma: () => prisma, clusterFor: async (l) => (l.clusterName === "c1" ? cluster : null) }),
    recorder: createAsciicastRecorder({ dataDir, prisma: () => prisma }),
  });
});
afterAll(async () => {
  await srv.close();
  await prisma.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("terminals on lab sessions", () => {
  const refusedWith = async (userId: string, labSessionId: string, node: string) => {
    const before = srv.manager.spawned;
    const err = await TestTerminalClient.connect(srv.url, srv.mint({ userId, labSessionId, node }), { origin: srv.origin }).then(
      (c) => {
        void c.close();
        return new Error("accepted");
      },
      (e: unknown) => e,
    );
    expect(srv.manager.spawned).toBe(before);
    return (err as UpgradeRefused).status;
  };

  it("refuses someone else's lab (404, like a missing one), an unknown node (404), a finished lab (409) and a lost cluster (503)", async () => {
    expect(await refusedWith(bob, labReady, "cp")).toBe(404);
    expect(await refusedWith(alice, labReady, "worker-9")).toBe(404);
    expect(await refusedWith(alice, "no-such-lab", "cp")).toBe(404);
    expect(await refusedWith(alice, labPassed, "cp")).toBe(409);
    expect(await refusedWith(alice, labNoCluster, "cp")).toBe(503);
  });

  it("records output, input and resizes as asciicast v2 linked to the lab, replayable by its owner only", async () => {
    const c = await TestTerminalClient.connect(srv.url, srv.mint({ userId: alice, labSessionId: labReady, node: "worker-1" }), {
      origin: srv.origin,
      cols: 100,
      rows: 30,
    });
    await c.waitForText("worker-1$ ");
    c.resize(120, 40);
    c.type("echo héllo-$((2+3))\r");
    await c.waitForText("llo-5\r\n", 0); // the kit keeps text as latin1
    c.type("exit\r");
    expect(await c.closed).toBe(CLOSE.exited);
    await expect.poll(async () => (await prisma.terminalRecording.findMany({ where: { labSessionId: labReady } }))[0]?.endedAt).not.toBeNull();

    const [rec] = await listRecordings(alice, labReady, { prisma });
    expect(rec).toMatchObject({ labSessionId: labReady, node: "worker-1" });
    const { stream } = await openRecording(alice, rec!.id, { prisma, dataDir });
    const text = await new Response(stream).text();
    expect(rec!.bytes).toBe(Buffer.byteLength(text));
    const [header, ...lines] = text.trimEnd().split("\n");
    expect(JSON.parse(header!)).toMatchObject({ version: 2, width: 100, height: 30 });
    const events = lines.map((l) => JSON.parse(l) as [number, string, string]);
    for (const e of events) expect(e).toEqual([expect.any(Number), expect.stringMatching(/^[oirm]$/), expect.any(String)]);
    expect(events.map((e) => e[0])).toEqual([...events.map((e) => e[0])].sort((a, b) => a - b));
    expect(events).toContainEqual([expect.any(Number), "r", "120x40"]);
    expect(events).toContainEqual([expect.any(Number), "i", "echo héllo-$((2+3))\r"]);
    expect(events.filter((e) => e[1] === "o").map((e) => e[2]).join("")).toContain("héllo-5\r\n");

    await expect(openRecording(bob, rec!.id, { prisma, dataDir })).rejects.toThrow(NotFoundError);
    await expect(listRecordings(bob, labReady, { prisma })).rejects.toThrow(NotFoundError);
    // An admin's review opens anyone's recording, an instructor's only their learners' (the route checks the role first).
    expect(await new Response((await openRecordingForInstructor(rec!.id, null, { prisma, dataDir })).stream).text()).toBe(text);
    await expect(openRecordingForInstructor("no-such-recording", null, { prisma, dataDir })).rejects.toThrow(NotFoundError);
    await expect(openRecordingForInstructor(rec!.id, [bob], { prisma, dataDir })).rejects.toThrow(NotFoundError);
  });
});

describe("identity, secret and config for terminals", () => {
  it("local mode has one implicit user; shared mode without a session cookie is 401", async () => {
    const req = new Request("http://127.0.0.1:3000/");
    const a = await getCurrentUser(req, { config: { mode: "local" }, prisma });
    const b = await getCurrentUser(req, { config: { mode: "local" }, prisma });
    expect(a.id).toBe(b.id);
    expect(await prisma.user.count({ where: { email: LOCAL_USER_EMAIL } })).toBe(1);
    await expect(getCurrentUser(req, { config: { mode: "shared" }, prisma })).rejects.toThrow(UnauthorizedError);
  });

  it("generates the local secret once, mode 0600; uses BREAKFIX_SECRET; has none to give in shared mode", () => {
    const d = path.join(dir, "secret-test");
    const one = loadTerminalSecret({ secret: undefined, mode: "local", dataDir: d });
    expect(loadTerminalSecret({ secret: undefined, mode: "local", dataDir: d }).equals(one)).toBe(true);
    expect(fs.statSync(path.join(d, SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(one.length).toBeGreaterThanOrEqual(32);
    const given = "x".repeat(40);
    expect(loadTerminalSecret({ secret: given, mode: "shared", dataDir: d }).toString()).toBe(given);
    expect(() => loadTerminalSecret({ secret: undefined, mode: "shared", dataDir: d })).toThrow(UnavailableError);
  });

  it("the dev shell is never on in shared mode, and in production only when asked for", async () => {
    expect(parseConfig({}).devShell).toBe(true);
    expect(parseConfig({ BREAKFIX_DEV_SHELL: "0" }).devShell).toBe(false);
    expect(parseConfig({ NODE_ENV: "production" }).devShell).toBe(false);
    expect(parseConfig({ NODE_ENV: "production", BREAKFIX_DEV_SHELL: "1" }).devShell).toBe(true);
    expect(parseConfig({ BREAKFIX_MODE: "shared", BREAKFIX_DEV_SHELL: "1" }).devShell).toBe(false);
    expect(parseConfig({ BREAKFIX_MODE: "shared", NODE_ENV: "production", BREAKFIX_DEV_SHELL: "1" }).devShell).toBe(false);
    // Even a resolver handed devShell: true refuses in shared mode.
    await expect(new DevLocalShellResolver({ devShell: true, mode: "shared" }).resolve("u", "dev-local", "local")).rejects.toThrow(NotFoundError);
    await expect(new DevLocalShellResolver({ devShell: false, mode: "local" }).authorize("u", "dev-local", "local")).rejects.toThrow(NotFoundError);
  });

  it("token requests are validated and refused from another site", async () => {
    const config = { origin: "http://127.0.0.1:3000", mode: "local" as const };
    const post = (body: unknown, origin?: string) =>
      new Request("http://127.0.0.1:3000/api/terminal/token", {
        method: "POST",
        headers: origin ? { origin, "content-type": "application/json" } : { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    await expect(parseTokenRequest(post({ labSessionId: "abc", node: "cp" }, "http://localhost:3000"), config)).resolves.toEqual({ labSessionId: "abc", node: "cp" });
    await expect(parseTokenRequest(post({ labSessionId: "abc", node: "cp" }), config)).resolves.toEqual({ labSessionId: "abc", node: "cp" });
    await expect(parseTokenRequest(post({ labSessionId: "abc", node: "cp" }, "https://evil.example"), config)).rejects.toThrow(ForbiddenError);
    await expect(parseTokenRequest(post({ labSessionId: "abc", node: "../etc" }), config)).rejects.toThrow(InputError);
    await expect(parseTokenRequest(post({ labSessionId: "abc" }), config)).rejects.toThrow(/node/);
    await expect(parseTokenRequest(post({ labSessionId: "a b", node: "cp" }), config)).rejects.toThrow(/labSessionId/);
  });
});
