import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { DEV_LAB_SESSION_ID, DevLocalShellResolver } from "@/lib/terminal/dev-local-shell";
import { startTerminalTestServer, type TerminalTestServer } from "@/lib/terminal/terminal-test-kit";
import { TerminalConnection, type ConnectionState } from "./terminal-connection";

/**
 * The browser-side connection against the real terminal server and real bash. The browser's
 * WebSocket is played by `ws` (same API: binaryType, onopen/onmessage/onclose, close codes) with
 * the Origin a browser would send; fetch plays the token route and mints real tokens.
 */
let srv: TerminalTestServer;
const sockets: WebSocket[] = [];
let tokenStatus = 200;
let tokenCalls = 0;

beforeAll(async () => {
  srv = await startTerminalTestServer({ resolver: new DevLocalShellResolver({ devShell: true, mode: "local" }) });
  const origin = srv.origin;
  class BrowserWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
      sockets.push(this);
    }
  }
  vi.stubGlobal("WebSocket", BrowserWebSocket);
  vi.stubGlobal("window", { location: new URL(srv.origin), addEventListener: () => {}, removeEventListener: () => {} });
  vi.stubGlobal("fetch", async (_url: string, init: { body: string }) => {
    tokenCalls++;
    if (tokenStatus !== 200) {
      return Response.json({ error: { code: "FORBIDDEN", message: "This lab session belongs to someone else." } }, { status: tokenStatus });
    }
    const { labSessionId, node } = JSON.parse(init.body) as { labSessionId: string; node: string };
    return Response.json({ token: srv.mint({ userId: "u", labSessionId, node }), path: "/api/terminal" });
  });
});
afterEach(async () => {
  tokenStatus = 200;
  tokenCalls = 0;
  sockets.splice(0);
  await srv.manager.closeLab(DEV_LAB_SESSION_ID);
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await srv.close();
});

function harness(node: string) {
  const states: ConnectionState[] = [];
  const notices: string[] = [];
  let screen = "";
  let resets = 0;
  const conn = new TerminalConnection(
    { labSessionId: DEV_LAB_SESSION_ID, node },
    {
      output: (data, done) => {
        screen += Buffer.from(data).toString("utf8");
        setTimeout(done, 1); // rendering takes a moment; acks follow it
      },
      reset: () => {
        resets++;
        screen = "";
      },
      state: (s) => states.push(s),
      notice: (m) => notices.push(m),
    },
  );
  return { conn, states, notices, screen: () => screen, resets: () => resets, last: () => states.at(-1)?.kind };
}

describe("TerminalConnection", () => {
  it("connects, sends input and its size, and acks what it rendered", async () => {
    const h = harness("c1");
    h.conn.resize(100, 31);
    h.conn.start();
    await expect.poll(() => h.screen()).toContain("c1:~$ ");
    expect(h.states.map((s) => s.kind)).toEqual(["connecting", "connected"]);
    h.conn.send("stty size; echo ok-$((1+1))\r");
    await expect.poll(() => h.screen()).toContain("ok-2");
    expect(h.screen()).toContain("31 100");
    // Everything rendered was acked: nothing is outstanding on the server.
    await expect.poll(() => srv.manager.list()[0]?.unackedBytes).toBe(0);
    h.conn.dispose();
  });

  it("a dropped socket reconnects with a fresh token to the same shell and replays the screen", async () => {
    const h = harness("c2");
    h.conn.start();
    await expect.poll(() => h.screen()).toContain("c2:~$ ");
    h.conn.send("echo pid-$$-x\r");
    await expect.poll(() => /pid-\d+-x/.test(h.screen())).toBe(true);
    const pid = /pid-(\d+)-x/.exec(h.screen())![1];
    sockets[0]!.terminate(); // like a network failure: no close frame
    await expect.poll(() => h.states.some((s) => s.kind === "reconnecting")).toBe(true);
    await expect.poll(() => h.last(), { timeout: 10_000 }).toBe("connected");
    expect(tokenCalls).toBe(2);
    expect(h.resets()).toBe(2);
    await expect.poll(() => h.screen()).toContain(`pid-${pid}-x`); // replayed after the reset
    h.conn.send("echo again-$$\r");
    await expect.poll(() => h.screen()).toContain(`again-${pid}`);
    h.conn.dispose();
  });

  it("does not retry when the token route refuses (403) and says why", async () => {
    tokenStatus = 403;
    const h = harness("c3");
    h.conn.start();
    await expect.poll(() => h.last()).toBe("disconnected");
    expect(h.states.at(-1)).toMatchObject({ message: "This lab session belongs to someone else." });
    // Nothing is left that could retry: no backoff timer armed, no socket.
    expect(h.conn.retryScheduled).toBe(false);
    expect(h.conn.socketOpen).toBe(false);
    expect(tokenCalls).toBe(1);
    expect(sockets).toHaveLength(0);
    h.conn.dispose();
  });

  it("reports the shell's exit and does not reconnect", async () => {
    const h = harness("c4");
    h.conn.start();
    await expect.poll(() => h.screen()).toContain("c4:~$ ");
    h.conn.send("exit 7\r");
    await expect.poll(() => h.last()).toBe("exited");
    expect(h.states.at(-1)).toEqual({ kind: "exited", code: 7 });
    await expect.poll(() => h.conn.socketOpen).toBe(false);
    expect(h.conn.retryScheduled).toBe(false);
    expect(tokenCalls).toBe(1);
    h.conn.dispose();
  });

  it("is told when another window takes the terminal over, and stays off", async () => {
    const a = harness("c5");
    a.conn.start();
    await expect.poll(() => a.screen()).toContain("c5:~$ ");
    const b = harness("c5");
    b.conn.start();
    await expect.poll(() => a.last()).toBe("disconnected");
    expect(a.states.at(-1)).toMatchObject({ message: "This terminal is open in another window." });
    expect(a.notices).toContain("This terminal was opened in another window.");
    await expect.poll(() => b.last()).toBe("connected");
    a.conn.dispose();
    b.conn.dispose();
  });
});
