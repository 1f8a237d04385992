import type { Locator, Page } from "@playwright/test";

export class HomePage {
  constructor(readonly page: Page) {}
  async goto(): Promise<void> {
    await this.page.goto("/");
  }
  get catalogue(): Locator {
    return this.page.getByRole("region", { name: "Scenario catalogue" });
  }
  scenario(slug: string): Locator {
    return this.page.getByTestId(`scenario-${slug}`);
  }
}
