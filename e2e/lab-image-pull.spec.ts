import { expect } from "@playwright/test";
import { missingDependency, test, TERMINAL_MISSING, skipUnlessCi } from "./pages/lab-fixtures";

// A new learner's path through image-pull-backoff (variant pinned: a typo in web's image tag).
const START = "?scenario=image-pull-backoff&variant=tag-typo";

test.describe("image-pull-backoff, as a new learner", () => {
  test.setTimeout(600_000);

  test("start from the home page, watch provisioning, read the brief, see the pod failing in the live panel", async ({ page, lab }) => {
    await page.goto("/");
    await expect(page.getByTestId("scenario-image-pull-backoff")).toBeVisible();
    await lab.shot("lab-ipb-01-home");
    const { id, response } = await lab.startFromCatalogue("image-pull-backoff", START);
    const missing = await missingDependency(response);
    test.skip(missing !== null, missing ?? "");
    expect(id).not.toBe("");

    await expect(page.getByTestId("driver-label").or(page.getByTestId("lab-driver")).first()).toContainText("Simulated cluster");
    await expect(lab.step("cluster")).toBeVisible();
    await lab.shot("lab-ipb-02-provisioning");
    await lab.waitUntilReady();

    await expect(lab.brief).toContainText("A rollout that never finishes");
    await expect(lab.brief.locator("table")).toContainText("nginx:1.27");
    await lab.shot("lab-ipb-03-brief");

    await expect(page.getByTestId("api-status")).toContainText("API server reachable", { timeout: 60_000 });
    await expect(lab.pod("shop", "web-").filter({ hasText: /ErrImagePull|ImagePullBackOff/ }).first()).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId("cluster-events")).toContainText(/Failed to pull image|Back-off pulling image/, { timeout: 120_000 });
    await lab.shot("lab-ipb-04-live-panel-failing-pod");
  });

  test("fix it with kubectl in the terminal, press Check, all checks pass, the score is in history", async ({ page, lab }) => {
    const { response } = await lab.startFromCatalogue("image-pull-backoff", START);
    const missing = await missingDependency(response);
    test.skip(missing !== null, missing ?? "");
    await lab.waitUntilReady();
    test.skip(skipUnlessCi((await lab.hasTerminal()) ? null : TERMINAL_MISSING) !== null, TERMINAL_MISSING);

    await lab.controlPlaneTab.click();
    // Like a learner, look again until the failing pod shows its pull error (it may still be
    // ContainerCreating the first time).
    await expect(async () => {
      await lab.type("kubectl -n shop get pods");
      await lab.expectTerminalText(/ImagePullBackOff|ErrImagePull/, 5_000);
    }).toPass({ timeout: 90_000 });
    await lab.shot("lab-ipb-05-terminal-diagnosis");
    await lab.type("kubectl -n shop set image deployment/web web=nginx:1.27");
    await lab.expectTerminalText("deployment.apps/web image updated");
    await lab.type("kubectl -n shop rollout status deployment/web --timeout=150s");
    await lab.expectTerminalText('deployment "web" successfully rolled out', 180_000);
    await lab.shot("lab-ipb-06-terminal-fixed");

    await lab.pressCheck();
    await expect(lab.check("web-available")).toHaveAttribute("data-ok", "true");
    await expect(lab.check("api-available")).toHaveAttribute("data-ok", "true");
    await expect(lab.score).toContainText("Score 6 / 6");
    await lab.shot("lab-ipb-07-all-checks-pass");

    await lab.finish();
    await expect(page.getByTestId("result-score")).toHaveText("6 / 6");
    await expect(page.getByRole("region", { name: "Solution" })).toBeVisible();
    const replay = page.locator('[data-testid^="recording-"]').filter({ hasText: /control-plane/ }).first();
    await replay.getByRole("button", { name: "Play" }).click();
    await expect(replay.locator(".xterm-rows")).toContainText("successfully rolled out", { timeout: 60_000 });
    await lab.shot("lab-ipb-08-results");

    await page.getByRole("link", { name: "History" }).first().click();
    await expect(page.getByTestId("best-image-pull-backoff")).toContainText("6 / 6");
    await lab.shot("lab-ipb-09-history");
  });
});
