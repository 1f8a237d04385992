import type { Locator, Page } from "@playwright/test";

export class SignInPage {
  constructor(readonly page: Page) {}
  async goto(next?: string): Promise<void> {
    await this.page.goto(next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in");
  }
  get form(): Locator {
    return this.page.getByRole("form", { name: "Sign in" });
  }
  async signIn(email: string, password: string): Promise<void> {
    await this.form.getByLabel("Email").fill(email);
    await this.form.getByLabel("Password").fill(password);
    await this.form.getByRole("button", { name: "Sign in" }).click();
  }
  get error(): Locator {
    return this.form.getByRole("alert");
  }
  get signedInAs(): Locator {
    return this.page.getByTestId("signed-in-as");
  }
  get signOut(): Locator {
    return this.page.getByRole("button", { name: "Sign out" });
  }
}
