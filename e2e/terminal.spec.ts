import { expect, test, type Route, type WebSocketRoute } from "@playwright/test";
import { TerminalPage } from "./pages/terminal-page";

test("typing `echo hello` in the terminal renders hello", async ({ page }) => {
  const t = new TerminalPage(page);
  await t.goto();
  await expect(t.tab("local")).toBeVisible();
  await expect(t.tab("local-2")).toBeVisible();
  await t.ready("local");
  // The shell may be one kept from an earlier test (reattached, screen replayed): start clean.
  await t.type("local", "clear\n");
  await expect.poll(() => t.lines("local")).not.toContain("hello");
  await t.type("local", "echo hello\n");
  // The output line, not the command line that contains it.
  await expect.poll(() => t.lines("local")).toContain("hello");
  await page.screenshot({ path: "e2e-artifacts/terminal.png", fullPage: true });
});

test("each tab is its own shell on its node", async ({ page }) => {
  const t = new TerminalPage(page);
  await t.goto();
  await t.tab("local-2").click();
  await t.ready("local-2");
  await t.type("local-2", "echo on-$((1+1))\n");
  await expect.poll(() => t.lines("local-2")).toContain("on-2");
  await t.tab("local").click();
  await t.ready("local");
  expect(await t.lines("local")).not.toContain("on-2");
});

test("a dropped connection shows reconnecting, then the same shell comes back with its screen", async ({ page }) => {
  const sockets: WebSocketRoute[] = [];
  // Proxy the terminal WebSocket so the test can cut it like a network failure would.
  await page.routeWebSocket(/\/api\/terminal\?/, (ws) => {
    ws.connectToServer();
    sockets.push(ws);
  });
  const t = new TerminalPage(page);
  await t.goto();
  await t.ready("local");
  await t.type("local", "echo pid-$$-before\n");
  await expect.poll(() => t.lines("local")).toContainEqual(expect.stringMatching(/^pid-\d+-before$/));
  const pid = (await t.lines("local")).find((l) => /^pid-\d+-before$/.test(l))!.split("-")[1];

  // While tokens cannot be fetched the terminal stays in the reconnecting state, visibly.
  const blockTokens = (route: Route) => route.abort("connectionfailed");
  await page.route("**/api/terminal/token", blockTokens);
  // Both tabs hold a socket, opened in no fixed order: cut them all, as a network failure would.
  await Promise.all(sockets.splice(0).map((s) => s.close({ code: 1011, reason: "test: network failure" })));
  await expect(t.pane("local")).toHaveAttribute("data-state", "reconnecting");
  await expect(t.status("local")).toContainText(/Reconnecting|Retrying|cannot be reached/);
  await page.screenshot({ path: "e2e-artifacts/terminal-reconnecting.png" });

  await page.unroute("**/api/terminal/token", blockTokens);
  await expect(t.pane("local")).toHaveAttribute("data-state", "connected", { timeout: 20_000 });
  // The replay restored the screen, and it is the same shell process.
  await expect.poll(() => t.lines("local")).toContain(`pid-${pid}-before`);
  await t.type("local", "echo pid-$$-after\n");
  await expect.poll(() => t.lines("local")).toContain(`pid-${pid}-after`);
});

test("copy and paste go through the clipboard with Ctrl+Shift+C and Ctrl+Shift+V", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const t = new TerminalPage(page);
  await t.goto();
  await t.ready("local");
  await page.evaluate(() => navigator.clipboard.writeText("echo pasted-$((20+1))"));
  await t.pane("local").locator(".xterm").click();
  await page.keyboard.press("Control+Shift+V");
  // The paste reads the clipboard asynchronously: wait for it on the command line before Enter.
  await expect.poll(async () => (await t.lines("local")).some((l) => l.endsWith("echo pasted-$((20+1))"))).toBe(true);
  await page.keyboard.press("Enter");
  await expect.poll(() => t.lines("local")).toContain("pasted-21");

  // Select the output word by double-clicking it, then copy.
  const index = (await t.lines("local")).indexOf("pasted-21");
  const box = await t.pane("local").locator(".xterm-rows > div").nth(index).boundingBox();
  // The mouse, not the locator: xterm's screen layer sits over the rows and takes the events.
  await page.mouse.dblclick(box!.x + 10, box!.y + box!.height / 2);
  await page.keyboard.press("Control+Shift+C");
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/pasted/);
});

test("the terminal refits when its pane changes size, and the shell sees the new size", async ({ page }) => {
  const t = new TerminalPage(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await t.goto();
  await t.ready("local");
  const size = async () => {
    await t.type("local", "clear; stty size\n");
    let found: string | undefined;
    await expect.poll(async () => (found = (await t.lines("local")).find((l) => /^\d+ \d+$/.test(l)))).toBeTruthy();
    const [rows, cols] = found!.split(" ").map(Number);
    return { rows: rows!, cols: cols! };
  };
  const before = await size();
  await page.setViewportSize({ width: 900, height: 800 });
  await expect.poll(async () => (await size()).cols, { timeout: 20_000 }).toBeLessThan(before.cols);
  const after = await size();
  // The xterm grid and the pty agree: as many rows as xterm renders.
  expect(after.rows).toBe(await t.pane("local").locator(".xterm-rows > div").count());
});
