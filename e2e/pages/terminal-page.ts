import { expect, type Locator, type Page } from "@playwright/test";

/** The development terminal page (/dev/terminal): one tab per node, an xterm per tab. */
export class TerminalPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/dev/terminal");
  }

  tab(node: string): Locator {
    return this.page.locator(`[role="tab"][id="terminal-tab-${node}"]`);
  }

  pane(node: string): Locator {
    return this.page.getByTestId(`terminal-${node}`);
  }

  /** Waits until the node's terminal is connected and its shell has printed a prompt. */
  async ready(node: string): Promise<void> {
    await expect(this.pane(node)).toHaveAttribute("data-state", "connected");
    await expect.poll(() => this.lines(node).then((l) => l.some((x) => x.startsWith(`${node}:`)))).toBe(true);
  }

  status(node: string): Locator {
    return this.pane(node).getByRole("status");
  }

  async type(node: string, text: string): Promise<void> {
    await this.pane(node).locator(".xterm").click();
    await this.page.keyboard.type(text);
  }

  /** The rendered rows of the terminal, as the learner sees them (xterm's DOM renderer). */
  async lines(node: string): Promise<string[]> {
    const rows = await this.pane(node).locator(".xterm-rows > div").allInnerTexts();
    return rows.map((r) => r.replace(/\u00a0/g, " ").trimEnd());
  }
}
