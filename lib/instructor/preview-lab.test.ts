import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { previewLab, type PreviewDeps } from "./preview-lab";

/**
 * A stand-in for the breakfix server's two routes the preview uses, on a real port, so the
 * preview's own HTTP (health probe, JSON POST, error bodies) is exercised for real. The journey
 * against the real server is in e2e/instructor.spec.ts.
 */
let servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
});

async function fakeServer(onLabs: (body: unknown) => { status: number; body: unknown }): Promise<{ origin: string; posted: unknown[] }> {
  const posted: unknown[] = [];
  const srv = http.createServer((req, res) => {
    if (req.url === "/api/health") return void res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    let text = "";
    req.on("data", (d: Buffer) => (text += d.toString()));
    req.on("end", () => {
      const body: unknown = JSON.parse(text);
      posted.push({ method: req.method, url: req.url, type: req.headers["content-type"], body });
      const out = onLabs(body);
      res.writeHead(out.status, { "content-type": "application/json" }).end(JSON.stringify(out.body));
    });
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  return { origin: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, posted };
}

function deps(origin: string, lines: string[], startServer?: PreviewDeps["startServer"]): PreviewDeps {
  return {
    origin,
    fetch,
    say: (l) => lines.push(l),
    startServer: startServer ?? (() => {
      throw new Error("a server is running; none should be started");
    }),
    startTimeoutMs: 3_000,
  };
}

describe("previewLab", () => {
  it("creates the lab through the running server's lab API and gives the instructor URL", async () => {
    const s = await fakeServer(() => ({ status: 201, body: { id: "clab123456", resumed: false } }));
    const lines: string[] = [];
    const r = await previewLab({ slug: "etcd-crashloop", variant: "bad-flag", noOpen: true }, deps(s.origin, lines));
    expect(r).toMatchObject({ labId: "clab123456", resumed: false, url: `${s.origin}/labs/clab123456?instructor=1`, server: null });
    expect(s.posted).toEqual([{ method: "POST", url: "/api/labs", type: "application/json", body: { scenario: "etcd-crashloop", variant: "bad-flag" } }]);
    expect(lines).toEqual([`using the breakfix server at ${s.origin}`]);
  });

  it("passes on the server's message and hint when the lab cannot start", async () => {
    const s = await fakeServer(() => ({ status: 400, body: { error: { code: "INPUT", message: 'Scenario "x" has no variant "y".', hint: "Pick one." } } }));
    await expect(previewLab({ slug: "x", variant: "y", noOpen: true }, deps(s.origin, []))).rejects.toMatchObject({
      message: 'Scenario "x" has no variant "y".',
      hint: "Pick one.",
    });
  });

  it("starts a server when none answers, and says so when it exits before answering", async () => {
    let started = 0;
    let stopped = 0;
    const origin = "http://127.0.0.1:9"; // discard port: nothing answers there
    const lines: string[] = [];
    const p = previewLab(
      { slug: "hello-pod", noOpen: true },
      deps(origin, lines, () => {
        started += 1;
        return { stop: async () => void (stopped += 1), exited: Promise.resolve(1) };
      }),
    );
    await expect(p).rejects.toThrow(/The server exited \(code 1\) before it answered/);
    expect([started, stopped]).toEqual([1, 1]);
    expect(lines[0]).toMatch(/no breakfix server at http:\/\/127\.0\.0\.1:9: starting one/);
  });
});
