import path from "node:path";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { ExamPage } from "./pages/exam-page";
import { LabServer } from "./pages/lab-server";
import { skipUnlessCi } from "./pages/lab-fixtures";

// The exam journey needs a short timer, so it runs its own server (BREAKFIX_EXAM_DURATION_SECONDS)
// on its own port and data dir. E2E_EXAM_BASE_URL points it at a server already running instead.
const DURATION_SECONDS = 120;
const PORT = Number(process.env.E2E_EXAM_PORT ?? 3102);
const external = process.env.E2E_EXAM_BASE_URL;
test.use({ baseURL: external ?? `http://127.0.0.1:${PORT}` });

test.describe("exam mode on the simulated cluster", () => {
  test.setTimeout(600_000);
  let server: LabServer | undefined;
  test.beforeAll(async () => {
    if (external) return;
    process.env.BREAKFIX_EXAM_DURATION_SECONDS = String(DURATION_SECONDS);
    server = LabServer.fresh(PORT, ".data-e2e-exam");
    await server.start();
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test("start, solve one task, flag one, reload mid-exam, let time run out, read the auto-graded results", async ({ page }) => {
    const exam = new ExamPage(page);
    const { id, response } = await exam.start("warm-up", "exam");
    expect(response.status(), await response.text()).toBeLessThan(300);

    // The timer starts only once the first task's cluster is ready.
    await expect(exam.workspace).toHaveAttribute("data-state", "running", { timeout: 300_000 });
    await expect(exam.task(1)).toHaveAttribute("data-status", "ready");
    await expect(exam.timer).toBeVisible();
    expect(await exam.remainingSeconds()).toBeLessThanOrEqual(DURATION_SECONDS);
    // Exam mode: no Check, no hints, and the page says so under the brief.
    await expect(exam.panel.getByRole("button", { name: "Check" })).toHaveCount(0);
    await expect(exam.panel.getByTestId("exam-task-instructions")).toContainText("there is no Check");
    await exam.writeNotes("task 2: look at the kubelet first");
    await exam.shot("exam-01-running");

    // Task 1 (hello-pod): solved at the keyboard, as a learner would.
    const terminal = await exam.hasTerminal();
    test.skip(skipUnlessCi(terminal ? null : "no terminal on the exam page") !== null, "no terminal on the exam page");
    await exam.controlPlaneTab.click();
    await exam.waitForPrompt();
    await exam.type("kubectl -n lab run web --image=nginx:1.27 && kubectl -n lab wait --for=condition=Ready pod/web --timeout=60s");
    await exam.expectTerminalText(/pod\/web condition met/, 90_000);

    // Flag task 2, then reload: the flag and the server's timer survive.
    await exam.flag(2);
    await expect(exam.task(2)).toHaveAttribute("data-flagged", "true");
    const before = await exam.remainingSeconds();
    await page.reload();
    await expect(exam.workspace).toHaveAttribute("data-state", "running");
    await expect(exam.task(2)).toHaveAttribute("data-flagged", "true");
    await expect(exam.notepad).toHaveValue("task 2: look at the kubelet first");
    const after = await exam.remainingSeconds();
    expect(after).toBeLessThanOrEqual(before);
    expect(after).toBeGreaterThan(0);
    await exam.open(2);
    await expect(exam.panel).toHaveAttribute("data-position", "1");
    await exam.shot("exam-02-after-reload");

    // Nobody submits: at zero the server grades every task and the page follows it to the results.
    await page.waitForURL(/\/exams\/[a-z0-9]+\/results$/, { timeout: (DURATION_SECONDS + 120) * 1000 });
    await expect(exam.results).toHaveAttribute("data-state", "timed-out");
    await expect(exam.resultTask(1).getByTestId("exam-result-task-score")).toContainText("25 of 25 %");
    await expect(exam.resultCheck(1, "web-runs-nginx")).toHaveAttribute("data-ok", "true");
    await expect(exam.resultTask(2).getByTestId("check-results")).toBeVisible();
    await expect(page.getByTestId("exam-verdict")).toHaveText(/Passed|Not passed/);
    await expect(page.getByTestId("exam-weighted")).toContainText("(mark 66 %)");
    // Time per task is the time each was open on the page, shown against the pack's target.
    for (const n of [1, 2]) {
      await expect(exam.resultTask(n).getByTestId("exam-result-task-time")).toHaveAttribute("data-active-ms", /^[1-9]\d*$/);
    }
    await expect(exam.resultTask(1).getByTestId("exam-result-task-time")).toContainText(/target/);
    // Task 1's terminal, replayed on the results page itself.
    const replay = exam.resultTask(1).locator('[data-testid^="recording-"]').first();
    await replay.getByRole("button", { name: "Play" }).click();
    await expect(replay.locator(".xterm-rows")).toContainText("condition met", { timeout: 60_000 });
    // The learner's attempts at this blueprint: this one, its trend point and the domains to study.
    await expect(page.getByTestId("exam-history-attempt")).toHaveCount(1);
    await expect(page.getByTestId("exam-history-attempt")).toHaveAttribute("data-current", "true");
    await expect(page.getByTestId("exam-trend")).toHaveAttribute("data-points", "1");
    await expect(page.getByTestId("exam-weak-domains")).toBeVisible();
    // The notepad ended with the attempt: gone from the page and from the server.
    await expect(exam.notepad).toHaveCount(0);
    const ended = await page.request.get(`/api/exams/${id}`);
    expect(((await ended.json()) as { notes: string }).notes).toBe("");
    if (server) {
      // Not only hidden: the stored row itself is empty.
      const db = new Database(path.join(server.dataDir, "breakfix.db"), { readonly: true });
      try {
        expect(db.prepare(`SELECT notes FROM "ExamAttempt" WHERE id = ?`).get(id)).toEqual({ notes: "" });
      } finally {
        db.close();
      }
    }
    await exam.shot("exam-03-results");
  });
});
