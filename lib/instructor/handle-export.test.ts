import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CurrentUser } from "@/lib/auth/current-user";
import { UnauthorizedError } from "@/lib/errors";
import { fakePack } from "@/lib/labs/fake-lab-deps";
import { migratedTestDb } from "@/lib/testing/migrated-test-db";
import { handleExport, type ExportHandlerDeps } from "./handle-export";

let t: ReturnType<typeof migratedTestDb>;
let user: CurrentUser;

function deps(o: { mode: "local" | "shared"; user?: CurrentUser | null }): ExportHandlerDeps {
  return {
    currentUser: async () => {
      if (o.user === null) throw new UnauthorizedError();
      return o.user ?? user;
    },
    config: { mode: o.mode },
    instructor: {
      db: t.prisma,
      now: () => new Date("2026-12-03T08:00:00Z"),
      scenarios: () => ({ scenarios: [{ slug: "fake-pack", pack: fakePack, brief: "", solution: "" }], problems: [] }),
      exams: () => ({ exams: [], problems: [] }),
    },
  };
}
const get = (query: string, d: ExportHandlerDeps) => handleExport(new Request(`http://127.0.0.1:3000/api/instructor/export${query}`), d);

beforeEach(async () => {
  t = migratedTestDb("breakfix-export-");
  const u = await t.prisma.user.create({ data: { name: "Local learner" } });
  user = { id: u.id, name: u.name, role: "admin", email: null, sessionId: null };
  await t.prisma.labSession.create({
    data: { userId: u.id, scenarioId: "fake-pack", variantId: "image", driver: "sim", state: "abandoned", readyAt: new Date(), endedAt: new Date() },
  });
});
afterEach(async () => {
  await t.cleanup();
});

describe("GET /api/instructor/export", () => {
  it("sends the instructor a CSV download named for the table, pack and day", async () => {
    const r = await get("?table=attempts&pack=fake-pack", deps({ mode: "local" }));
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(r.headers.get("content-disposition")).toBe('attachment; filename="breakfix-attempts-fake-pack-2026-12-03.csv"');
    const lines = (await r.text()).split("\r\n");
    expect(lines[0]).toMatch(/^attempt_id,pack,variant,learner,/);
    expect(lines[1]).toContain(",fake-pack,image,Local learner,");
  });

  it("refuses a user who is not an instructor with 403 and sends no data", async () => {
    const learner: CurrentUser = { id: "x", name: "l", role: "learner", email: null, sessionId: null };
    for (const d of [deps({ mode: "shared", user: learner }), deps({ mode: "local", user: learner })]) {
      const r = await get("?table=attempts", d);
      expect(r.status).toBe(403);
      expect(await r.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    }
    expect((await get("?table=attempts", deps({ mode: "shared", user: null }))).status).toBe(401);
  });

  it("answers a bad query with 400 saying how to ask, and an unknown pack with 404", async () => {
    const bad = await get("?table=users", deps({ mode: "local" }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "INPUT", message: expect.stringMatching(/^table:/), hint: expect.stringMatching(/table=packs/) } });
    expect((await get("", deps({ mode: "local" }))).status).toBe(400);
    expect((await get("?table=packs&pack=nope", deps({ mode: "local" }))).status).toBe(404);
  });
});
