import { expect, type Locator, type Page } from "@playwright/test";

/** The instructor pages (app/instructor) and the lab's instructor panel, as an instructor uses them. */
export class InstructorPage {
  constructor(readonly page: Page) {}

  async openOverview(): Promise<void> {
    await this.page.goto("/");
    await this.page.getByTestId("nav-instructor").click();
    await expect(this.page.getByTestId("instructor-overview")).toBeVisible();
  }
  packRow(slug: string): Locator {
    return this.page.getByTestId(`pack-${slug}`);
  }
  async openPack(slug: string): Promise<void> {
    await this.packRow(slug).getByRole("link").first().click();
    await expect(this.page.getByTestId("instructor-pack")).toHaveAttribute("data-slug", slug);
  }
  attemptRow(id: string): Locator {
    return this.page.getByTestId(`attempt-${id}`);
  }
  async openAttempt(id: string): Promise<void> {
    await this.attemptRow(id).getByRole("link").click();
    await expect(this.page.getByTestId("instructor-attempt")).toBeVisible();
  }
  checkRun(n: number): Locator {
    return this.page.getByTestId(`check-run-${n}`);
  }

  // --- the lab's instructor panel (/labs/<id>?instructor=1) ---
  get panel(): Locator {
    return this.page.getByTestId("instructor-panel");
  }
  async runChecks(): Promise<void> {
    const done = this.page.waitForResponse((r) => /\/api\/instructor\/labs\/[a-z0-9]+\/checks$/.test(r.url()), { timeout: 180_000 });
    await this.panel.getByRole("button", { name: "Run checks" }).click();
    const r = await done;
    expect(r.ok(), `instructor checks answered ${r.status()}: ${await r.text()}`).toBe(true);
    await expect(this.panel.getByTestId("instructor-checks")).toBeVisible();
  }

  async shot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e-artifacts/${name}.png`, fullPage: true });
  }
}
