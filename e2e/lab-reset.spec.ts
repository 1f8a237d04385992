import { expect } from "@playwright/test";
import { missingDependency, test } from "./pages/lab-fixtures";

test.describe("Reset lab", () => {
  test.setTimeout(600_000);

  test("a fixed cluster is thrown away: provisioning streams again and the fault is back", async ({ page, lab }) => {
    const { response } = await lab.startFromCatalogue("image-pull-backoff", "?scenario=image-pull-backoff&variant=tag-typo");
    const missing = await missingDependency(response);
    test.skip(missing !== null, missing ?? "");
    await lab.waitUntilReady();
    const firstCluster = await page.getByRole("region", { name: "Terminals" }).getByRole("tab").first().textContent();

    await lab.confirm("Reset lab", /Yes, reset/);
    await expect(lab.workspace).toHaveAttribute("data-state", "provisioning");
    await expect(lab.step("cluster")).toBeVisible();
    await lab.shot("lab-reset-01-provisioning-again");
    await lab.waitUntilReady();

    // A new cluster (new node names), with the same fault injected again.
    const secondCluster = await page.getByRole("region", { name: "Terminals" }).getByRole("tab").first().textContent();
    expect(secondCluster).not.toBe(firstCluster);
    await lab.pressCheck();
    await expect(lab.check("web-available")).toHaveAttribute("data-ok", "false");
    await expect(lab.score).toContainText("Score 3 / 6");
    await lab.shot("lab-reset-02-fault-back");
  });
});
