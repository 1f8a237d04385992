import { expect, type Locator, type Page, type Response } from "@playwright/test";

/** The lab page (app/labs/[id]) as a learner uses it. */
export class LabPage {
  constructor(readonly page: Page) {}

  /** From the home page: press the scenario's Start button and land on its lab page. */
  async startFromCatalogue(slug: string, query = ""): Promise<{ id: string; response: Response | null }> {
    await this.page.goto(`/${query}`);
    const card = this.page.getByTestId(`scenario-${slug}`);
    const responsePromise = this.page.waitForResponse((r) => r.url().endsWith("/api/labs") && r.request().method() === "POST");
    await card.getByRole("button", { name: /Start lab|Resume lab/ }).click();
    const response = await responsePromise;
    if (!response.ok()) return { id: "", response };
    await this.page.waitForURL(/\/labs\/[a-z0-9]+$/);
    const id = new URL(this.page.url()).pathname.split("/").pop() ?? "";
    return { id, response };
  }

  get workspace(): Locator {
    return this.page.getByTestId("lab-workspace");
  }
  step(id: "cluster" | "setup" | "inject" | "ready"): Locator {
    return this.page.getByTestId(`step-${id}`);
  }
  get brief(): Locator {
    return this.page.getByRole("article", { name: "Brief" });
  }
  get clusterPanel(): Locator {
    return this.page.getByTestId("cluster-panel");
  }
  pod(namespace: string, namePrefix: string): Locator {
    return this.clusterPanel.locator(`[data-testid^="pod-${namespace}-${namePrefix}"]`);
  }
  get checkButton(): Locator {
    return this.page.getByRole("button", { name: /^(Check|Checking…)$/ });
  }
  get checkResults(): Locator {
    return this.page.getByTestId("check-results");
  }
  check(id: string): Locator {
    return this.page.getByTestId(`check-${id}`);
  }
  get score(): Locator {
    return this.page.getByTestId("check-score");
  }

  /** Waits until provisioning is over and the lab is ready (cluster → setup → inject → ready). */
  async waitUntilReady(timeout = 420_000): Promise<void> {
    await expect(this.workspace).toHaveAttribute("data-state", "ready", { timeout });
  }

  /** Presses Check and waits for the per-check table (checks with hold windows take a while). */
  async pressCheck(timeout = 180_000): Promise<void> {
    const done = this.page.waitForResponse((r) => /\/api\/labs\/[a-z0-9]+\/check$/.test(r.url()), { timeout });
    await this.checkButton.click();
    const r = await done;
    expect(r.ok(), `check answered ${r.status()}: ${await r.text()}`).toBe(true);
    await expect(this.checkResults).toBeVisible();
  }

  async revealHint(index: number): Promise<void> {
    const drawer = this.page.getByRole("region", { name: "Hints" });
    const toggle = drawer.getByRole("button", { name: /^Hints/ });
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    await drawer.getByRole("button", { name: new RegExp(`Reveal hint ${index + 1} — costs`) }).click();
    await expect(drawer.getByTestId(`hint-${index}`)).toContainText(`Hint ${index + 1} (−`);
  }

  async confirm(action: "Reset lab" | "Give up" | "Finish", yes: RegExp): Promise<void> {
    await this.page.getByRole("button", { name: action, exact: true }).click();
    await this.page.getByRole("group", { name: "Confirm" }).getByRole("button", { name: yes }).click();
  }

  async finish(): Promise<void> {
    await this.confirm("Finish", /Yes, finish/);
    await this.page.waitForURL(/\/results$/, { timeout: 180_000 });
  }

  // --- terminal (components/terminal's xterm.js tabs) ---

  /** Whether this build shows real terminals (the terminal component may not have landed yet). */
  async hasTerminal(): Promise<boolean> {
    const terminals = this.page.getByRole("region", { name: "Terminals" });
    await expect(terminals).toBeVisible();
    return (await terminals.locator(".xterm").count()) > 0 || (await terminals.getByRole("tab").count()) > 0;
  }
  terminalTab(node: RegExp | string): Locator {
    return this.page.getByRole("region", { name: "Terminals" }).getByRole("tab", { name: node });
  }
  /** The control-plane node's tab (its label says "control plane" whatever the node is called). */
  get controlPlaneTab(): Locator {
    return this.terminalTab(/control plane/);
  }
  get activeTerminal(): Locator {
    return this.page.getByRole("region", { name: "Terminals" }).getByRole("tabpanel").locator(".xterm").first();
  }
  /** Types a command line into the visible terminal, like a learner at the keyboard. */
  async type(line: string): Promise<void> {
    // Keys typed before the shell has printed its prompt race its start (the tty echoes them, then
    // readline starts and takes only what is left): wait for the prompt, as a learner would.
    await expect(this.activeTerminal.locator(".xterm-rows")).toContainText(/[$#] /, { timeout: 60_000 });
    await this.activeTerminal.click();
    await this.page.keyboard.type(line, { delay: 5 });
    await this.page.keyboard.press("Enter");
  }
  async expectTerminalText(text: string | RegExp, timeout = 60_000): Promise<void> {
    await expect(this.activeTerminal.locator(".xterm-rows")).toContainText(text, { timeout });
  }

  async shot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e-artifacts/${name}.png`, fullPage: true });
  }
}
