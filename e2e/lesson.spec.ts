import { expect, test as base } from "@playwright/test";
import { skipUnlessCi, TERMINAL_MISSING } from "./pages/lab-fixtures";
import { LessonPage } from "./pages/lesson-page";

/** `lesson`: the lesson page object; a lab it started is given up afterwards if still live. */
const test = base.extend<{ lesson: LessonPage; opened: string[] }>({
  opened: async ({ request }, provide) => {
    const ids: string[] = [];
    await provide(ids);
    for (const id of ids) await request.post(`/api/labs/${id}/give-up`).catch(() => undefined);
  },
  lesson: async ({ page, opened }, provide) => {
    const lesson = new LessonPage(page);
    const start = lesson.start.bind(lesson);
    lesson.start = async () => {
      const r = await start();
      if (r.id) opened.push(r.id);
      return r;
    };
    await provide(lesson);
  },
});

test.describe("the pod-creation lesson, on the simulated cluster", () => {
  test.setTimeout(600_000);

  test("open it from the catalogue's Lessons, start it, type each step's command, see the steps turn done, finish", async ({ page, lesson }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Lessons" })).toBeVisible();
    await expect(lesson.card("lesson-pod-create")).toContainText("What happens when you create a pod");
    await lesson.openFromCatalogue("lesson-pod-create");
    await expect(lesson.step("write")).toHaveAttribute("data-status", "current");
    await expect(lesson.step("write").getByTestId("lesson-step-command")).toHaveText("kubectl apply -f /root/lesson/web.yaml");
    await lesson.shot("lesson-01-before-start");

    const { id, response } = await lesson.start();
    expect(response.ok(), `start answered ${response.status()}: ${await response.text()}`).toBe(true);
    expect(id).not.toBe("");
    await lesson.waitUntilReady();
    await expect(page.getByTestId("lab-driver")).toContainText("Simulated cluster");
    test.skip(skipUnlessCi((await lesson.terminal.hasTerminal()) ? null : TERMINAL_MISSING) !== null, TERMINAL_MISSING);
    await expect(lesson.step("write")).toHaveAttribute("data-status", "current");
    await expect(lesson.step("write").getByTestId("lesson-step-message")).toContainText("There is no pod web yet.");
    await lesson.shot("lesson-02-ready");

    await lesson.terminal.controlPlaneTab.click();
    await lesson.typeCommandOf("write");
    await lesson.terminal.expectTerminalText("pod/web created");
    await expect(lesson.step("write")).toHaveAttribute("data-status", "done", { timeout: 30_000 });
    await expect(lesson.step("bind")).toHaveAttribute("data-status", "current");
    // The timeline beside the terminal fills in with what each component did for pod web.
    const timeline = page.getByTestId("lesson-timeline");
    await expect(timeline.getByTestId("timeline")).toHaveAttribute("data-stream", "open", { timeout: 60_000 });
    const rows = timeline.getByTestId("timeline-row");
    await expect(rows.filter({ hasText: /kube-apiserver\s*pod created.*default\/pod\/web/ }).first()).toBeVisible({ timeout: 60_000 });
    await expect(lesson.step("bind")).toHaveAttribute("aria-current", "step");
    await lesson.shot("lesson-03-first-step-done");

    // The lab's own address leads back to the lesson page, which resumes where the learner was.
    await page.goto(`/labs/${id}`);
    await page.waitForURL(/\/lessons\/lesson-pod-create$/);
    await lesson.waitUntilReady();
    await expect(lesson.step("write")).toHaveAttribute("data-status", "done");
    await expect(lesson.step("bind")).toHaveAttribute("data-status", "current");
    await lesson.terminal.controlPlaneTab.click();

    await lesson.typeCommandOf("bind");
    await lesson.terminal.expectTerminalText(/node\/\S+-worker labeled/);
    await expect(lesson.step("bind")).toHaveAttribute("data-status", "done", { timeout: 120_000 });
    await expect(lesson.step("bind").getByTestId("lesson-step-message")).toContainText("is Ready");
    await expect(rows.filter({ hasText: /default-scheduler\s*Scheduled/ }).first()).toBeVisible({ timeout: 60_000 });
    await expect(rows.filter({ hasText: /condition Ready=True default\/pod\/web/ }).first()).toBeVisible({ timeout: 90_000 });

    await lesson.typeCommandOf("expose");
    await expect(lesson.step("expose")).toHaveAttribute("data-status", "done", { timeout: 60_000 });
    await lesson.typeCommandOf("reach");
    await expect(lesson.step("reach")).toHaveAttribute("data-status", "done", { timeout: 120_000 });
    await expect(page.getByTestId("lesson-complete")).toBeVisible();
    await expect(page.getByTestId("lesson-count")).toHaveText("4 of 4 steps done");
    await lesson.shot("lesson-04-all-done");

    await lesson.terminal.finish();
    await expect(page.getByText("passed").first()).toBeVisible();
    await lesson.shot("lesson-05-recap");
  });
});
