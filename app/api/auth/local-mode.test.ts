import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRoute, type RouteHandler } from "@/lib/testing/call-route";

// Local mode, as by default: the auth routes must not change how it works.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-auth-local-"));
const saved = { ...process.env };
Object.assign(process.env, { BREAKFIX_MODE: "local", BREAKFIX_DATA_DIR: dir, BREAKFIX_ORIGIN: "http://127.0.0.1:3000" });
delete process.env.DATABASE_URL;

const { getConfig } = await import("@/lib/config");
const { db } = await import("@/lib/db");
const { applyMigrations } = await import("@/lib/server/migrate");
const signIn = await import("./sign-in/route");
const signOut = await import("./sign-out/route");
const me = await import("./me/route");
const sessions = await import("./sessions/route");
const oidcStart = await import("./oidc/start/route");

const config = getConfig();
beforeAll(() => applyMigrations(config.databaseUrl));
afterAll(async () => {
  await db().$disconnect();
  process.env = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("auth routes in local mode", () => {
  it("me is the implicit local user, as admin, with no cookie at all", async () => {
    const r = await callRoute(me.GET as RouteHandler, { path: "/api/auth/me" }, config);
    expect(await r.json()).toMatchObject({ user: { email: "local@breakfix.invalid", role: "admin" }, mode: "local" });
    expect(r.headers.get("set-cookie")).toBeNull();
  });

  it("sign-in, sign-out and OIDC are 409 (nobody signs in here); sessions are none; nothing is stored", async () => {
    const body = JSON.stringify({ email: "a@example.test", password: "whatever password" });
    expect((await callRoute(signIn.POST as RouteHandler, { path: "/api/auth/sign-in", body }, config)).status).toBe(409);
    const out = await callRoute(signOut.POST as RouteHandler, { path: "/api/auth/sign-out", method: "POST" }, config);
    expect(out.status).toBe(409);
    expect(out.headers.get("set-cookie")).toBeNull();
    expect((await callRoute(oidcStart.GET as RouteHandler, { path: "/api/auth/oidc/start" }, config)).status).toBe(409);
    expect(await (await callRoute(sessions.GET as RouteHandler, { path: "/api/auth/sessions" }, config)).json()).toEqual({ sessions: [] });
    expect(await db().authSession.count()).toBe(0);
  });
});
