import { expect } from "@playwright/test";
import { LabPage } from "./pages/lab-page";
import { LabServer } from "./pages/lab-server";
import { missingDependency, test, TERMINAL_MISSING, skipUnlessCi } from "./pages/lab-fixtures";

// This test runs its own server (so it can restart it) on its own port and data dir.
const PORT = Number(process.env.E2E_RESTART_PORT ?? 3101);
test.use({ baseURL: `http://127.0.0.1:${PORT}` });

test.describe("server restart mid-lab", () => {
  test.setTimeout(900_000);
  let server: LabServer | undefined;
  test.afterEach(async () => {
    await server?.stop();
  });

  test("the lab survives a restart: same state, live panel, terminals reconnect, Check still works", async ({ page }) => {
    server = LabServer.fresh(PORT, ".data-e2e-restart");
    await server.start();
    const lab = new LabPage(page);
    const { id, response } = await lab.startFromCatalogue("image-pull-backoff", "?scenario=image-pull-backoff&variant=tag-typo");
    const missing = await missingDependency(response);
    test.skip(missing !== null, missing ?? "");
    await lab.waitUntilReady();
    await expect(page.getByTestId("api-status")).toContainText("API server reachable", { timeout: 60_000 });
    const terminal = await lab.hasTerminal();
    if (terminal) {
      await lab.controlPlaneTab.click();
      await lab.type("echo before-restart");
      await lab.expectTerminalText("before-restart");
    }
    await lab.shot("lab-restart-01-before");

    await server.stop();
    await server.start();

    await page.reload();
    await expect(lab.workspace).toHaveAttribute("data-state", "ready");
    expect(new URL(page.url()).pathname).toBe(`/labs/${id}`);
    await expect(page.getByTestId("api-status")).toContainText("API server reachable", { timeout: 120_000 });
    await expect(lab.pod("shop", "web-").first()).toBeVisible({ timeout: 60_000 });
    await lab.shot("lab-restart-02-after");

    await lab.pressCheck();
    await expect(lab.check("api-available")).toHaveAttribute("data-ok", "true");
    await expect(lab.score).toContainText("/ 6");
    await lab.shot("lab-restart-03-check-after-restart");

    test.skip(skipUnlessCi(terminal ? null : TERMINAL_MISSING) !== null, TERMINAL_MISSING);
    await lab.controlPlaneTab.click();
    await lab.type("kubectl -n shop get deploy web");
    await lab.expectTerminalText(/web\s+\d\/\d/);
    await lab.shot("lab-restart-04-terminal-back");
    await lab.confirm("Give up", /Yes, show the solution/);
    await page.waitForURL(/\/results$/);
  });
});
