import http from "node:http";
import path from "node:path";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";

/** Lab sessions in the e2e server's database (playwright.config.ts: BREAKFIX_DATA_DIR=.data-e2e). */
function labSessionCount(): number {
  const db = new Database(path.resolve(".data-e2e", "breakfix.db"), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM "LabSession"').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * Against the real server: another site cannot start a lab, and a DNS-rebinding name gets nothing.
 * Raw node:http, so the Host and Origin headers are exactly what an attacker's browser would send.
 */
function send(baseURL: string, opts: { method: string; path: string; headers: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  const url = new URL(opts.path, baseURL);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method, headers: opts.headers }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

test("a cross-site POST /api/labs with a text/plain body is refused and starts nothing", async ({ baseURL }) => {
  const before = labSessionCount();
  const host = new URL(baseURL!).host;
  const body = JSON.stringify({ scenario: "hello-pod" });
  const r = await send(baseURL!, {
    method: "POST",
    path: "/api/labs",
    headers: { host, origin: "http://evil.example", "content-type": "text/plain", "content-length": String(body.length) },
    body,
  });
  expect(r.status).toBe(403);
  expect(JSON.parse(r.body)).toMatchObject({ error: { code: "FORBIDDEN", message: "Requests that change something must come from the breakfix app itself." } });
  // A form post from a page on another site (no Origin kept by some proxies, but Sec-Fetch-Site is).
  const form = await send(baseURL!, {
    method: "POST",
    path: "/api/labs",
    headers: { host, "sec-fetch-site": "cross-site", "content-type": "application/x-www-form-urlencoded", "content-length": "18" },
    body: "scenario=hello-pod",
  });
  expect(form.status).toBe(403);
  // Nothing was started or written.
  expect(labSessionCount()).toBe(before);
});

test("a DNS-rebinding Host gets a refusal, not the app", async ({ baseURL }) => {
  const port = new URL(baseURL!).port;
  for (const path of ["/", "/api/labs/x/events"]) {
    const r = await send(baseURL!, { method: "GET", path, headers: { host: `evil.example:${port}` } });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.message).toBe(`This breakfix server does not answer to the name "evil.example:${port}".`);
  }
  // Health probes by IP still answer.
  const health = await send(baseURL!, { method: "GET", path: "/api/health", headers: { host: `10.9.9.9:${port}` } });
  expect(health.status).toBe(200);
});
