import { expect, type Locator, type Page, type Response } from "@playwright/test";
import { LabPage } from "./lab-page";

/** The lesson page (app/lessons/[slug]) as a learner uses it; terminals are the lab page's. */
export class LessonPage {
  /** The terminal half is the lab page's own component, so its page object drives it. */
  readonly terminal: LabPage;
  constructor(readonly page: Page) {
    this.terminal = new LabPage(page);
  }

  card(slug: string): Locator {
    return this.page.getByTestId(`lesson-${slug}`);
  }

  /** From the home page's Lessons group to the lesson page. */
  async openFromCatalogue(slug: string): Promise<void> {
    await this.page.goto("/");
    await this.card(slug).getByRole("link", { name: /Open lesson|Resume lesson/ }).click();
    await this.page.waitForURL(new RegExp(`/lessons/${slug}$`));
  }

  /** Presses Start lesson; returns the lab's id (empty when the start was refused) and the answer. */
  async start(): Promise<{ id: string; response: Response }> {
    const answer = this.page.waitForResponse((r) => r.url().endsWith("/api/labs") && r.request().method() === "POST");
    await this.page.getByRole("button", { name: "Start lesson" }).click();
    const response = await answer;
    const body: unknown = response.ok() ? await response.json() : null;
    const id = typeof body === "object" && body !== null && "id" in body && typeof body.id === "string" ? body.id : "";
    return { id, response };
  }

  get workspace(): Locator {
    return this.page.getByTestId("lesson-workspace");
  }
  step(id: string): Locator {
    return this.page.getByTestId(`lesson-step-${id}`);
  }

  async waitUntilReady(timeout = 420_000): Promise<void> {
    await expect(this.workspace).toHaveAttribute("data-state", "ready", { timeout });
  }

  /** Types the current step's command, as shown on the page, into the control plane's terminal. */
  async typeCommandOf(stepId: string): Promise<void> {
    const command = (await this.step(stepId).getByTestId("lesson-step-command").textContent())?.trim() ?? "";
    expect(command, `step ${stepId} shows a command`).not.toBe("");
    await this.terminal.type(command);
  }

  async shot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e-artifacts/${name}.png`, fullPage: true });
  }
}
