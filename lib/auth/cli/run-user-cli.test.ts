import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConflictError, InputError, NotFoundError } from "@/lib/errors";
import { migratedTestDb } from "@/lib/testing/migrated-test-db";
import { createAuthSession, findAuthSession } from "../auth-sessions";
import { verifyPassword } from "../password";
import { parseUserArgs } from "./parse-user-args";
import { runUserCli } from "./run-user-cli";

const t = migratedTestDb("breakfix-user-cli-");
const { prisma } = t;
afterAll(() => t.cleanup());

async function run(argv: string[], stdin = ""): Promise<string[]> {
  const lines: string[] = [];
  await runUserCli(argv, { prisma, readStdin: async () => stdin, out: (l) => lines.push(l), bcryptCost: 4 });
  return lines;
}

describe("npm run user", () => {
  it("creates a user with a generated password it prints once, stored only as a bcrypt hash", async () => {
    const out = await run(["create", "First.Admin@Example.test", "--name", "First Admin", "--role", "admin"]);
    expect(out[0]).toMatch(/^created admin first.admin@example.test \([a-z0-9]+\)$/);
    const password = /^password: (\S{20})$/.exec(out[1] ?? "")?.[1];
    expect(password).toBeDefined();
    const user = await prisma.user.findUniqueOrThrow({ where: { email: "first.admin@example.test" } });
    expect(user).toMatchObject({ name: "First Admin", role: "admin", disabledAt: null });
    expect(user.passwordHash).not.toContain(password!);
    expect(await verifyPassword(password!, user.passwordHash)).toBe(true);
  });

  it("reads a password from standard input with --password-stdin (one line) and prints none", async () => {
    const out = await run(["create", "learner@example.test", "--name=Lea", "--password-stdin"], "a long passphrase\n");
    expect(out).toHaveLength(1);
    const user = await prisma.user.findUniqueOrThrow({ where: { email: "learner@example.test" } });
    expect(user.role).toBe("learner");
    expect(await verifyPassword("a long passphrase", user.passwordHash)).toBe(true);
  });

  it("refuses a duplicate email, a weak stdin password, and changes nothing", async () => {
    const before = await prisma.user.findMany({ orderBy: { id: "asc" } });
    await expect(run(["create", "learner@example.test", "--name", "Again"])).rejects.toThrow(ConflictError);
    await expect(run(["create", "new@example.test", "--name", "New", "--password-stdin"], "short\n")).rejects.toThrow(
      "The password on standard input must be at least 10 characters.",
    );
    expect(await prisma.user.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });

  it("changes a role", async () => {
    expect(await run(["role", "learner@example.test", "instructor"])).toEqual(["learner@example.test is now instructor"]);
    expect((await prisma.user.findUniqueOrThrow({ where: { email: "learner@example.test" } })).role).toBe("instructor");
  });

  it("resets a password and revokes the user's sessions", async () => {
    const user = await prisma.user.findUniqueOrThrow({ where: { email: "learner@example.test" } });
    const s = await createAuthSession(prisma, user.id);
    const out = await run(["reset-password", "learner@example.test"]);
    expect(out[0]).toBe("password of learner@example.test reset; 1 session revoked");
    const password = out[1]!.replace("password: ", "");
    expect(await findAuthSession(prisma, s.token)).toBeNull();
    const after = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(password, after.passwordHash)).toBe(true);
    expect(await verifyPassword("a long passphrase", after.passwordHash)).toBe(false);
  });

  it("disables a user and revokes their sessions", async () => {
    const user = await prisma.user.findUniqueOrThrow({ where: { email: "learner@example.test" } });
    const s = await createAuthSession(prisma, user.id);
    expect(await run(["disable", "learner@example.test"])).toEqual(["learner@example.test is disabled; 1 session revoked"]);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).disabledAt).toBeInstanceOf(Date);
    expect(await findAuthSession(prisma, s.token)).toBeNull();
  });

  it("names an unknown user", async () => {
    await expect(run(["role", "nobody@example.test", "admin"])).rejects.toThrow(NotFoundError);
  });
});

describe("user CLI arguments", () => {
  it.each([
    [[], "command: must be create, role, reset-password or disable"],
    [["frobnicate"], 'command: must be create, role, reset-password or disable (got "frobnicate")'],
    [["create", "not-an-email", "--name", "X"], "<email>: must be an email address"],
    [["create", "a@example.test"], "--name: "],
    [["create", "a@example.test", "--name", "X", "--role", "root"], "--role: must be one of learner, instructor, admin"],
    [["role", "a@example.test", "god"], "<role>: must be one of learner, instructor, admin"],
    [["disable", "a@example.test", "extra"], 'Unexpected argument "extra".'],
    [["disable", "a@example.test", "--force"], 'Unknown option "--force".'],
    [["disable", "a@example.test", "--name", "X"], "--name is not an option of disable."],
    [["create", "a@example.test", "--name"], "--name needs a value."],
  ])("%j is refused: %s", (argv, message) => {
    expect(() => parseUserArgs(argv)).toThrow(InputError);
    expect(() => parseUserArgs(argv)).toThrow(message);
  });
});

describe("the npm script", () => {
  it("creates the first admin in a fresh data directory (migrating it first) and exits 1 on bad input", () => {
    const env = { ...process.env, BREAKFIX_DATA_DIR: path.join(t.dir, "fresh"), DATABASE_URL: "", LOG_LEVEL: "silent" };
    delete (env as Record<string, string | undefined>).DATABASE_URL;
    const ok = spawnSync("npx", ["tsx", "scripts/user.ts", "create", "root@example.test", "--name", "Root", "--role", "admin", "--password-stdin"], {
      env,
      input: "first admin password\n",
      encoding: "utf8",
    });
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toMatch(/^created admin root@example.test/);
    expect(ok.status).toBe(0);
    const bad = spawnSync("npx", ["tsx", "scripts/user.ts", "role", "root@example.test", "owner"], { env, encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("<role>: must be one of learner, instructor, admin");
  });
});
