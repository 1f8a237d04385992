import { expect, test } from "@playwright/test";
import { HomePage } from "./pages/home-page";

test("the home page lists the hello-pod scenario", async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  await expect(page.getByRole("heading", { name: "Scenarios" })).toBeVisible();
  const card = home.scenario("hello-pod");
  await expect(card).toBeVisible();
  await expect(card).toContainText("Hello, pod");
  await expect(card).toContainText("workloads");
  await expect(card).toContainText("easy");
  await expect(card).toContainText("5 min");
  await page.screenshot({ path: "e2e-artifacts/home.png", fullPage: true });
});
