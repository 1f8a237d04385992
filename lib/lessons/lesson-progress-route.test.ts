import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/server/migrate";

// The real route handler over the real composition root and a migrated SQLite file. The labs
// here are still provisioning, so the route answers from the database without a cluster.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-lesson-route-"));
process.env.BREAKFIX_DATA_DIR = dir;
delete process.env.DATABASE_URL;

const { GET } = await import("@/app/api/labs/[id]/lesson-progress/route");
const { services } = await import("@/lib/server/services");
const { getConfig } = await import("@/lib/config");
const { getCurrentUser } = await import("@/lib/auth/current-user");

const call = (id: string) => GET(new Request(`http://127.0.0.1/api/labs/${id}/lesson-progress`), { params: Promise.resolve({ id }) });

let mine: string;
let theirs: string;
let scenarioLab: string;

beforeAll(async () => {
  applyMigrations(getConfig().databaseUrl);
  const { db } = services().labs;
  const me = await getCurrentUser(new Request("http://127.0.0.1/"));
  const other = await db.user.create({ data: { name: "someone else" } });
  const lab = (userId: string, scenarioId: string) =>
    db.labSession.create({ data: { userId, scenarioId, variantId: scenarioId.startsWith("lesson-") ? "lesson" : "default", driver: "sim", state: "provisioning" } });
  mine = (await lab(me.id, "lesson-pod-create")).id;
  theirs = (await lab(other.id, "lesson-pod-create")).id;
  scenarioLab = (await lab(me.id, "hello-pod")).id;
});
afterAll(async () => {
  await services().labs.db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("GET /api/labs/:id/lesson-progress", () => {
  it("lists the lesson's steps, the first one current, while the lab is prepared", async () => {
    const res = await call(mine);
    expect(res.status).toBe(200);
    const body: unknown = await res.json();
    expect(body).toEqual({
      labId: mine,
      lesson: "lesson-pod-create",
      state: "provisioning",
      steps: [
        { id: "write", status: "current" },
        { id: "bind", status: "todo" },
        { id: "expose", status: "todo" },
        { id: "reach", status: "todo" },
      ],
      current: 0,
      done: 0,
      total: 4,
      complete: false,
    });
  });

  it("answers another learner's lab exactly like a missing one", async () => {
    const [a, b] = await Promise.all([call(theirs), call("c0000000000000000000000000")]);
    expect([a.status, b.status]).toEqual([404, 404]);
    expect(await a.json()).toEqual(await b.json());
  });

  it("refuses a lab that is not a lesson, and an id that is not an id, with 404 and a message", async () => {
    const r = await call(scenarioLab);
    expect(r.status).toBe(404);
    expect(JSON.stringify(await r.json())).toContain("This lab is not a lesson.");
    expect((await call("../../etc")).status).toBe(404);
  });
});
