import { expect } from "@playwright/test";
import { test } from "./pages/lab-fixtures";

// Local mode: the one local user is the instructor too, so one browser plays both parts.
test.describe("classes", () => {
  test.setTimeout(180_000);
  // The class's attempt cap binds the local user in every later test and run on this data dir:
  // archive what the test created (an archived class caps nothing), from the page so Origin is right.
  const created: string[] = [];
  test.afterEach(async ({ page }) => {
    for (const id of created.splice(0)) {
      await page.evaluate(async (classId) => {
        await fetch(`/api/classes/${classId}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ op: "archive" }) });
      }, id);
    }
  });

  test("an instructor creates a class and assigns a pack; a learner joins by the link, starts it, and shows up on the board and in the grid", async ({ page, opened }) => {
    const name = `Tuesday group ${Date.now()}`;
    await page.goto("/classes");
    await page.getByRole("form", { name: "Create a class" }).getByLabel("Class name").fill(name);
    await page.getByRole("button", { name: "Create class" }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

    const form = page.getByRole("form", { name: "Add an assignment" });
    await form.getByLabel("What to assign").selectOption("hello-pod");
    await form.getByLabel("Attempts allowed").fill("2");
    await form.getByRole("button", { name: "Assign" }).click();
    await expect(page.getByRole("region", { name: "Assignments" })).toContainText("2 attempts");

    // A bad assignment is refused with the reason and changes nothing.
    await form.getByLabel("Due date").fill("2020-01-01T10:00");
    await form.getByRole("button", { name: "Assign" }).click();
    await expect(form.getByRole("alert")).toContainText("dueAt: the due date is already past.");
    await expect(page.getByRole("region", { name: "Assignments" }).getByRole("listitem")).toHaveCount(1);

    const joinUrl = await page.getByTestId("join-link").inputValue();
    const classUrl = page.url();
    created.push(classUrl.split("/").pop()!);
    expect(joinUrl).toMatch(/\/classes\/join\/[a-z2-9]{12}$/);
    await page.goto(new URL(joinUrl).pathname);
    await page.getByRole("button", { name: "Join the class" }).click();
    await expect(page).toHaveURL(/\/classes$/);
    const mine = page.getByTestId(`my-class-${name}`);
    await expect(mine).toContainText("Hello, pod");
    await expect(mine).toContainText("0/2 attempts");

    const start = page.waitForResponse((r) => r.url().endsWith("/api/labs") && r.request().method() === "POST");
    await mine.getByRole("button", { name: /Start lab/ }).click();
    const res = await start;
    expect(res.ok(), await res.text()).toBe(true);
    const { id } = (await res.json()) as { id: string };
    opened.push(id);
    await expect(page).toHaveURL(new RegExp(`/labs/${id}$`));

    await page.goto(classUrl);
    const results = page.getByRole("table", { name: "Results grid" });
    await expect(results).toContainText("1/2 attempts");
    await expect(results).toContainText("in progress");
    const board = page.getByRole("table", { name: "Live board" });
    await expect(board).toContainText("Hello, pod");
    await expect(board).toContainText(/starting|ready/);
  });

  test("a join link that opens no class says so", async ({ page }) => {
    await page.goto("/classes/join/aaaaaaaaaaaa");
    await page.getByRole("button", { name: "Join the class" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toContainText("This join link does not open a class");
  });
});
