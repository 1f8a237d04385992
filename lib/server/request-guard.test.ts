import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { allowedHosts, checkRequest, type GuardRequest } from "./request-guard";

const local = parseConfig({ PORT: "3000" });
const shared = parseConfig({ BREAKFIX_MODE: "shared", BREAKFIX_ORIGIN: "https://lab.school.example", BREAKFIX_ALLOWED_HOSTS: "10.0.0.5:3000, Lab-Internal" });

const post = (headers: GuardRequest["headers"], url = "/api/labs"): GuardRequest => ({ method: "POST", url, headers });

describe("request guard", () => {
  it("knows the server's names: the origin's host, loopback spellings in local mode, and the extra ones", () => {
    expect([...allowedHosts(local)].sort()).toEqual(["127.0.0.1:3000", "[::1]:3000", "localhost:3000"]);
    expect([...allowedHosts(shared)].sort()).toEqual(["10.0.0.5:3000", "lab-internal", "lab.school.example"]);
  });

  it("lets the app's own requests through", () => {
    expect(checkRequest({ method: "GET", url: "/labs/abc", headers: { host: "127.0.0.1:3000" } }, local)).toBeNull();
    expect(checkRequest(post({ host: "localhost:3000", origin: "http://localhost:3000", "content-type": "application/json", "content-length": "20" }), local)).toBeNull();
    expect(checkRequest(post({ host: "LAB.school.example", origin: "https://lab.school.example", "content-type": "application/json; charset=utf-8", "content-length": "2" }), shared)).toBeNull();
    // A POST without a body (check, reset) and a script without Origin or Sec-Fetch-Site.
    expect(checkRequest(post({ host: "127.0.0.1:3000", "sec-fetch-site": "same-origin" }, "/api/labs/x/check"), local)).toBeNull();
    expect(checkRequest(post({ host: "127.0.0.1:3000", "content-type": "application/json", "content-length": "9" }), local)).toBeNull();
  });

  it("refuses the cross-site start from the issue: Origin http://evil.example with a text/plain body", () => {
    const r = checkRequest(post({ host: "127.0.0.1:3000", origin: "http://evil.example", "content-type": "text/plain", "content-length": "30" }), local);
    expect(r).toEqual({
      status: 403,
      body: { error: { code: "FORBIDDEN", message: "Requests that change something must come from the breakfix app itself.", hint: "This one came from http://evil.example." } },
    });
  });

  it("refuses another site's browser request even without Origin, an opaque origin, and a same-site sibling", () => {
    expect(checkRequest(post({ host: "127.0.0.1:3000", "sec-fetch-site": "cross-site" }), local)?.status).toBe(403);
    expect(checkRequest(post({ host: "127.0.0.1:3000", "sec-fetch-site": "same-site" }), local)?.status).toBe(403);
    expect(checkRequest(post({ host: "127.0.0.1:3000", origin: "null" }), local)?.body.error.hint).toBe("This one came from an opaque origin.");
    expect(checkRequest(post({ host: "lab.school.example", origin: "https://other.school.example" }), shared)?.status).toBe(403);
    // Another port on loopback is another origin.
    expect(checkRequest(post({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:8080" }), local)?.status).toBe(403);
  });

  it("wants JSON bodies on state-changing API requests", () => {
    const form = checkRequest(post({ host: "127.0.0.1:3000", "content-type": "application/x-www-form-urlencoded", "content-length": "5" }), local);
    expect(form).toMatchObject({ status: 415, body: { error: { code: "INPUT", hint: "It was sent as application/x-www-form-urlencoded." } } });
    expect(checkRequest(post({ host: "127.0.0.1:3000", "transfer-encoding": "chunked" }), local)?.status).toBe(415);
    expect(checkRequest(post({ host: "127.0.0.1:3000", "content-type": "application/json", "content-length": String(64 * 1024 + 1) }), local)).toMatchObject({ status: 413 });
    expect(checkRequest(post({ host: "127.0.0.1:3000", "content-type": "application/json", "content-length": String(64 * 1024) }), local)).toBeNull();
  });

  it("refuses a DNS-rebinding name on every path and method, pages and WebSocket upgrades included", () => {
    for (const req of [
      { method: "GET", url: "/", headers: { host: "evil.example:3000" } },
      { method: "GET", url: "/api/labs/abc", headers: { host: "evil.example:3000" } },
      { method: "GET", url: "/api/terminal?token=x", headers: { host: "evil.example:3000", upgrade: "websocket" } },
      post({ host: "evil.example:3000", origin: "http://evil.example:3000" }),
    ]) {
      expect(checkRequest(req, local)).toMatchObject({ status: 403, body: { error: { message: 'This breakfix server does not answer to the name "evil.example:3000".' } } });
    }
    expect(checkRequest({ method: "GET", url: "/", headers: {} }, local)?.status).toBe(400);
    // Local mode on loopback: the name must carry the port the server listens on.
    expect(checkRequest({ method: "GET", url: "/", headers: { host: "localhost" } }, local)?.status).toBe(403);
  });

  it("answers health probes under any name", () => {
    expect(checkRequest({ method: "GET", url: "/api/health", headers: { host: "10.1.2.3:3000" } }, local)).toBeNull();
    expect(checkRequest({ method: "GET", url: "/api/health?x=1", headers: {} }, shared)).toBeNull();
  });
});
