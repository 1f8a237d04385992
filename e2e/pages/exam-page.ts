import { expect, type Locator, type Page, type Response } from "@playwright/test";

/** The exam pages (app/exams, app/exams/[id], app/exams/[id]/results) as a learner uses them. */
export class ExamPage {
  constructor(readonly page: Page) {}

  /** From the exams page: choose the mode, press Start exam and land on the attempt's page. */
  async start(slug: string, mode: "exam" | "timed" | "practice"): Promise<{ id: string; response: Response }> {
    await this.page.goto("/exams");
    const card = this.page.getByTestId(`exam-${slug}`);
    await card.getByRole("radio", { name: new RegExp(`^${mode}`, "i") }).check();
    const responsePromise = this.page.waitForResponse((r) => r.url().endsWith("/api/exams") && r.request().method() === "POST");
    await card.getByRole("button", { name: /Start exam/ }).click();
    const response = await responsePromise;
    if (!response.ok()) return { id: "", response };
    await this.page.waitForURL(/\/exams\/[a-z0-9]+$/);
    return { id: new URL(this.page.url()).pathname.split("/").pop() ?? "", response };
  }

  get workspace(): Locator {
    return this.page.getByTestId("exam-workspace");
  }
  get timer(): Locator {
    return this.page.getByTestId("exam-timer");
  }
  async remainingSeconds(): Promise<number> {
    return Number(await this.timer.getAttribute("data-remaining-seconds"));
  }
  /** Task n (1-based) in the navigator. */
  task(n: number): Locator {
    return this.page.getByTestId(`exam-task-${n}`);
  }
  async open(n: number): Promise<void> {
    await this.task(n).getByRole("button", { name: new RegExp(`^Task ${n}\\b`) }).click();
  }
  /** Flags task n and waits until the server has stored it. */
  async flag(n: number): Promise<void> {
    const saved = this.page.waitForResponse((r) => /\/api\/exams\/[a-z0-9]+\/flag$/.test(r.url()) && r.ok());
    await this.task(n).getByRole("button", { name: `Flag task ${n}` }).click();
    await saved;
  }
  /** The task shown now (the others stay mounted, hidden, so their terminals live on). */
  get panel(): Locator {
    return this.page.locator('[data-testid="exam-task-panel"]:not([hidden])');
  }
  get controlPlaneTab(): Locator {
    return this.panel.getByRole("region", { name: "Terminals" }).getByRole("tab", { name: /control plane/ });
  }
  get activeTerminal(): Locator {
    return this.panel.getByRole("region", { name: "Terminals" }).getByRole("tabpanel").locator(".xterm").first();
  }
  async hasTerminal(): Promise<boolean> {
    const terminals = this.panel.getByRole("region", { name: "Terminals" });
    await expect(terminals).toBeVisible({ timeout: 120_000 });
    return (await terminals.getByRole("tab").count()) > 0;
  }
  /** Keys typed before the shell has connected are lost, so wait for its prompt first. */
  async waitForPrompt(timeout = 60_000): Promise<void> {
    await expect(this.activeTerminal.locator(".xterm-rows")).toContainText(/@\S+:.*[#$]/, { timeout });
  }
  async type(line: string): Promise<void> {
    await this.activeTerminal.click();
    await this.page.keyboard.type(line, { delay: 5 });
    await this.page.keyboard.press("Enter");
  }
  async expectTerminalText(text: string | RegExp, timeout = 60_000): Promise<void> {
    await expect(this.activeTerminal.locator(".xterm-rows")).toContainText(text, { timeout });
  }

  get notepad(): Locator {
    return this.page.getByTestId("exam-notepad");
  }
  /** Types into the notepad and waits until the server has stored it. */
  async writeNotes(text: string): Promise<void> {
    await this.notepad.fill(text);
    await expect(this.page.getByTestId("exam-notepad-state")).toHaveAttribute("data-state", "saved");
  }

  get results(): Locator {
    return this.page.getByTestId("exam-results");
  }
  resultTask(n: number): Locator {
    return this.page.getByTestId(`exam-result-task-${n}`);
  }
  /** One check's row in a task's final check (components/lab/check-results.tsx). */
  resultCheck(n: number, checkId: string): Locator {
    return this.resultTask(n).getByTestId(`check-${checkId}`);
  }

  async shot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e-artifacts/${name}.png`, fullPage: true });
  }
}
