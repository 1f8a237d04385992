import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migratedTestDb } from "@/lib/testing/migrated-test-db";
import { gitCommitOf } from "./git-commit-of";
import { recordSelfTests } from "./record-self-tests";

let t: ReturnType<typeof migratedTestDb>;
beforeEach(() => {
  t = migratedTestDb("breakfix-selftest-");
});
afterEach(async () => {
  await t.cleanup();
});

describe("recordSelfTests", () => {
  it("stores one record per variant that ran, with its steps, time, driver and commit; a failure keeps its first failing step", async () => {
    const n = await recordSelfTests(
      t.prisma,
      [
        {
          kind: "ran",
          result: { slug: "etcd-crashloop", variant: "bad-flag", ok: true, ms: 41_250.6, steps: [{ step: "setup", ok: true, ms: 1000 }] },
        },
        {
          kind: "ran",
          result: {
            slug: "etcd-crashloop",
            variant: "cert-file",
            ok: false,
            ms: 9_000,
            steps: [
              { step: "setup", ok: true, ms: 1000 },
              { step: "anti", label: "restart-only", ok: false, ms: 2000, detail: "passed after a wrong fix" },
              { step: "solve", ok: false, ms: 3000, detail: "later failure" },
            ],
          },
        },
        { kind: "not-applicable", slug: "cni-missing", variant: "default", reason: "needs kindnet" },
      ],
      { driver: "sim", gitCommit: "a".repeat(40) },
    );
    expect(n).toBe(2);
    const rows = await t.prisma.selfTestRecord.findMany({ orderBy: { variantId: "asc" } });
    expect(rows.map((r) => [r.scenarioId, r.variantId, r.driver, r.ok, r.durationMs, r.error, r.gitCommit])).toEqual([
      ["etcd-crashloop", "bad-flag", "sim", true, 41_251, null, "a".repeat(40)],
      ["etcd-crashloop", "cert-file", "sim", false, 9_000, "anti (restart-only): passed after a wrong fix", "a".repeat(40)],
    ]);
    expect(JSON.parse(rows[0]!.steps)).toEqual([{ step: "setup", ok: true, ms: 1000 }]);
  });

  it("stores nothing when nothing ran", async () => {
    expect(await recordSelfTests(t.prisma, [{ kind: "not-applicable", slug: "x", variant: "y", reason: "z" }], { driver: "ssh", gitCommit: null })).toBe(0);
    expect(await t.prisma.selfTestRecord.count()).toBe(0);
  });
});

describe("gitCommitOf", () => {
  it("reads this checkout's commit, and null outside a git checkout", async () => {
    expect(await gitCommitOf(process.cwd())).toMatch(/^[0-9a-f]{40}$/);
    expect(await gitCommitOf("/")).toBeNull();
  });
});
