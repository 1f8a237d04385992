import { expect } from "@playwright/test";
import { missingDependency, test } from "./pages/lab-fixtures";

test.describe("scoring", () => {
  test.setTimeout(600_000);

  test("a partial fix shows partial credit with actual vs expected, and a revealed hint lowers the score", async ({ page, lab }) => {
    const { response } = await lab.startFromCatalogue("image-pull-backoff", "?scenario=image-pull-backoff&variant=tag-typo");
    const missing = await missingDependency(response);
    test.skip(missing !== null, missing ?? "");
    await lab.waitUntilReady();

    // Only web is broken in this variant: api's check passes, web's fails with what is wrong.
    await lab.pressCheck();
    await expect(lab.check("api-available")).toHaveAttribute("data-ok", "true");
    await expect(lab.check("web-available")).toHaveAttribute("data-ok", "false");
    await expect(lab.check("web-available")).toContainText("actual");
    await expect(lab.check("web-available")).toContainText("expected");
    await expect(lab.score).toContainText("Score 3 / 6");
    await lab.shot("lab-score-01-partial-credit");

    // The drawer shows the cost before revealing; revealing charges it.
    const drawer = page.getByRole("region", { name: "Hints" });
    await drawer.getByRole("button", { name: /^Hints/ }).click();
    await expect(drawer.getByRole("button", { name: "Reveal hint 2 — costs 2 points" })).toBeVisible();
    await lab.shot("lab-score-02-hint-costs");
    await lab.revealHint(1);
    await lab.pressCheck();
    await expect(lab.score).toContainText("Score 1 / 6");
    await expect(lab.score).toContainText("3 points − 2 for hints");
    await lab.shot("lab-score-03-hint-lowers-score");

    await lab.confirm("Give up", /Yes, show the solution/);
    await page.waitForURL(/\/results$/);
    await expect(page.getByTestId("lab-results")).toHaveAttribute("data-state", "abandoned");
    await expect(page.getByTestId("result-score")).toHaveText("1 / 6");
    await expect(page.getByTestId("result-hints")).toContainText("1 (−2)");
    await expect(page.getByRole("region", { name: "Solution" })).toContainText(/image/i);
    await lab.shot("lab-score-04-gave-up-solution");
  });
});
