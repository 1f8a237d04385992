import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "@playwright/test";
import { InstructorPage } from "./pages/instructor-page";
import { skipUnlessCi, TERMINAL_MISSING, test } from "./pages/lab-fixtures";
import type { LabPage } from "./pages/lab-page";

const run = promisify(execFile);

/**
 * The CLI tools against the Playwright server's own database (playwright.config.ts: .data-e2e),
 * so what they store is what the server shows. The self-test's sim clusters live in a data dir
 * of their own.
 */
function cliEnv(baseURL: string): NodeJS.ProcessEnv {
  const url = new URL(baseURL);
  return {
    ...process.env,
    NODE_ENV: "production",
    HOST: url.hostname,
    PORT: url.port,
    BREAKFIX_DRIVER: "sim",
    BREAKFIX_DATA_DIR: ".data-e2e-instructor-cli",
    DATABASE_URL: `file:${path.resolve(".data-e2e/breakfix.db")}`,
    LOG_LEVEL: "warn",
  };
}

/**
 * Waits for the lab to be ready. On a loaded machine a sim cluster can miss its 30 s start
 * deadline; the lab then shows the failure with Reset, and the test presses it once, as a learner
 * would (and notes it), rather than failing on the machine's load.
 */
async function readyAfterOneRetry(lab: LabPage): Promise<void> {
  await expect(lab.workspace).toHaveAttribute("data-state", /^(ready|failed)$/, { timeout: 420_000 });
  if ((await lab.workspace.getAttribute("data-state")) !== "failed") return;
  test.info().annotations.push({ type: "retried", description: "the lab's cluster could not be prepared; pressed Reset once" });
  await lab.confirm("Reset lab", /Yes, reset/);
  await lab.waitUntilReady();
}

test.describe("instructor pages", () => {
  test.setTimeout(900_000);

  test("a recorded self-test, a previewed lab checked without counting, a learner's attempt reviewed with replay, and the CSV", async ({ page, lab, opened, baseURL }) => {
    const instructor = new InstructorPage(page);
    const env = cliEnv(baseURL!);

    await test.step("scenario:test --record stores hello-pod's self-test on sim", async () => {
      const r = await run("npx", ["tsx", "scripts/scenario-test.ts", "hello-pod", "--driver", "sim", "--record"], { env, timeout: 400_000 });
      expect(r.stderr).toContain("recorded 1 self-test result(s)");
    });

    await test.step("the overview shows every pack's validation and hello-pod's self-test on sim", async () => {
      await instructor.openOverview();
      const row = instructor.packRow("hello-pod");
      await expect(row).toHaveAttribute("data-valid", "true");
      await expect(row).toContainText("✓ valid");
      await expect(row.getByTestId("self-test-sim")).toHaveAttribute("data-ok", "true");
      await expect(row.getByTestId("self-test-sim")).toContainText("sim ✓ pass");
      // Packs never recorded say so.
      await expect(instructor.packRow("etcd-crashloop").getByTestId("self-test-none")).toBeVisible();
      await expect(page.getByRole("region", { name: "Exam blueprints" }).locator('[data-valid="true"]').first()).toBeVisible();
      await instructor.shot("instructor-01-overview");
    });

    let labId = "";
    /** The learner's own Check presses: with Finish's final check, the attempt's check runs. */
    let presses = 0;
    await test.step("scenario:preview starts a lab through the lab API and prints the instructor URL", async () => {
      const r = await run("npx", ["tsx", "scripts/scenario-preview.ts", "hello-pod", "--variant", "default", "--no-open"], { env, timeout: 120_000 });
      const url = r.stdout.trim();
      expect(url).toMatch(new RegExp(`^${baseURL}/labs/[a-z0-9]+\\?instructor=1$`));
      labId = new URL(url).pathname.split("/").pop()!;
      opened.push(labId);
      await page.goto(url);
    });

    await test.step("the instructor panel shows the variant and the solution, and Run checks does not count", async () => {
      await expect(instructor.panel.getByTestId("instructor-variant")).toContainText("default");
      await readyAfterOneRetry(lab);
      await instructor.runChecks();
      await expect(instructor.panel.getByTestId("check-web-runs-nginx")).toHaveAttribute("data-ok", "false");
      // Not the learner's check: the lab shows no score and no check results of its own.
      await expect(page.getByTestId("lab-score")).toHaveCount(0);
      await instructor.panel.getByTestId("instructor-solution").locator("summary").click();
      await expect(instructor.panel.getByTestId("instructor-solution")).toContainText(/kubectl/);
      await instructor.shot("instructor-02-panel");
      // Without ?instructor=1 it is the learner's page.
      await page.goto(`/labs/${labId}`);
      await expect(lab.workspace).toHaveAttribute("data-state", "ready");
      await expect(instructor.panel).toHaveCount(0);
    });

    await test.step("the learner fixes it in the terminal, checks and finishes", async () => {
      test.skip(skipUnlessCi((await lab.hasTerminal()) ? null : TERMINAL_MISSING) !== null, TERMINAL_MISSING);
      await lab.controlPlaneTab.click();
      await lab.type("kubectl -n lab run web --image=nginx:1.27 && echo made-$((6*7))");
      await lab.expectTerminalText("made-42");
      await expect
        .poll(
          async () => {
            presses += 1;
            await lab.pressCheck();
            return lab.check("web-runs-nginx").getAttribute("data-ok");
          },
          { timeout: 120_000, intervals: [3_000] },
        )
        .toBe("true");
      await lab.finish();
      await expect(page.getByTestId("lab-results")).toHaveAttribute("data-state", "passed");
    });

    await test.step("the pack page counts the attempt; the attempt page shows its check runs and replays the terminal", async () => {
      await instructor.openOverview();
      await instructor.openPack("hello-pod");
      await expect(page.getByTestId("stat-attempts")).not.toHaveText("0");
      await expect(page.getByTestId("check-stat-web-runs-nginx")).toBeVisible();
      await expect(instructor.attemptRow(labId)).toContainText("passed");
      await instructor.shot("instructor-03-pack");
      await instructor.openAttempt(labId);
      await expect(page.getByTestId("attempt-state")).toHaveText("passed");
      // Only the learner's own checks are runs of the attempt (the panel's Run checks was not recorded); the last passed.
      const runs = page.getByRole("region", { name: "Check runs" }).locator('[data-testid^="check-run-"]');
      await expect(runs).toHaveCount(presses + 1);
      const n = presses + 1;
      await expect(instructor.checkRun(n).getByTestId("check-web-runs-nginx")).toHaveAttribute("data-ok", "true");
      const replay = page.getByTestId("terminal-replay");
      const player = replay.locator('[data-testid^="recording-"]').first();
      await expect(player.locator("[data-status]")).toHaveAttribute("data-status", "ready");
      await expect(player.locator(".xterm-rows")).toContainText("made-42");
      await instructor.shot("instructor-04-attempt-replay");
    });

    await test.step("the CSV export downloads the attempt with its columns", async () => {
      await page.goto("/instructor/packs/hello-pod");
      const download = page.waitForEvent("download");
      await page.getByRole("link", { name: "Attempts CSV" }).click();
      const d = await download;
      expect(d.suggestedFilename()).toMatch(/^breakfix-attempts-hello-pod-\d{4}-\d{2}-\d{2}\.csv$/);
      const text = fs.readFileSync((await d.path())!, "utf8");
      const lines = text.split("\r\n");
      expect(lines[0]).toMatch(/^attempt_id,pack,variant,learner,/);
      const mine = lines.find((l) => l.startsWith(`${labId},`));
      expect(mine).toMatch(new RegExp(`^${labId},hello-pod,default,Local learner,.*,passed,`));
    });
  });
});
