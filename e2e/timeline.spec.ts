import { expect } from "@playwright/test";
import { missingDependency, skipUnlessCi, TERMINAL_MISSING, test } from "./pages/lab-fixtures";

// The lab page's live timeline: what each component does when a learner runs a pod, row by row.
test.describe("the lab timeline", () => {
  test.setTimeout(600_000);

  test("kubectl run in the terminal: the scheduler's, the kubelet's and containerd's rows appear, in order, live", async ({ page, lab }) => {
    const { id, response } = await lab.startFromCatalogue("hello-pod");
    const missing = await missingDependency(response);
    test.skip(missing !== null, missing ?? "");
    await lab.waitUntilReady();

    // A bad filter is refused with the reason, before any stream starts; another lab's id is no lab.
    const bad = await page.request.get(`/api/labs/${id}/timeline?namespace=Not_A_Name`);
    expect(bad.status()).toBe(400);
    expect(await bad.text()).toContain("namespace: must be a Kubernetes name");
    expect((await page.request.get(`/api/labs/nosuchlab123/timeline`)).status()).toBe(404);
    test.skip(skipUnlessCi((await lab.hasTerminal()) ? null : TERMINAL_MISSING) !== null, TERMINAL_MISSING);

    const panel = page.getByTestId("timeline-panel");
    await expect(panel.getByRole("button", { name: /Timeline/ })).toHaveAttribute("aria-expanded", "true");
    await expect(panel.getByTestId("timeline")).toHaveAttribute("data-stream", "open", { timeout: 60_000 });

    await lab.controlPlaneTab.click();
    await lab.type("kubectl run t --image=nginx");
    await lab.expectTerminalText("pod/t created");

    const rows = panel.getByTestId("timeline-row");
    const row = (text: RegExp) => rows.filter({ hasText: text }).first();
    // The sim stores no managedFields, so its rows cannot name the writer (a real cluster's say "written by kubectl-run").
    await expect(row(/kube-apiserver\s*pod created.*default\/pod\/t/)).toBeVisible({ timeout: 60_000 });
    await expect(row(/default-scheduler\s*Scheduled/)).toBeVisible({ timeout: 60_000 });
    await expect(row(/Started container t/)).toBeVisible({ timeout: 90_000 });
    await expect(row(/condition Ready=True default\/pod\/t/)).toBeVisible({ timeout: 90_000 });
    // The node's own journal, read through the driver: the kubelet's SyncLoop and containerd's sandbox.
    await expect(rows.filter({ hasText: /SyncLoop ADD \(api\).*default\/pod\/t/ }).first()).toHaveAttribute("data-source", "kubelet-log", { timeout: 60_000 });
    await expect(rows.filter({ hasText: /RunPodSandbox done.*default\/pod\/t/ }).first()).toHaveAttribute("data-source", "containerd-log", { timeout: 60_000 });

    // In order of time: created, then scheduled, then started, then ready; offsets count up from +0.
    const texts = await rows.allInnerTexts();
    const at = (re: RegExp) => texts.findIndex((t) => re.test(t));
    expect(at(/pod created.*default\/pod\/t/)).toBeGreaterThanOrEqual(0);
    expect(at(/pod created.*default\/pod\/t/)).toBeLessThan(at(/Scheduled default\/pod\/t/));
    expect(at(/Scheduled default\/pod\/t/)).toBeLessThan(at(/Started container t/));
    expect(at(/Started container t/)).toBeLessThan(at(/condition Ready=True default\/pod\/t/));
    await expect(rows.first()).toContainText("+0.000s");
    await lab.shot("timeline-01-kubectl-run");

    // Collapsing the panel closes its stream; opening it shows the history again.
    await panel.getByRole("button", { name: /Timeline/ }).click();
    await expect(panel.getByTestId("timeline")).toHaveCount(0);
    await panel.getByRole("button", { name: /Timeline/ }).click();
    await expect(row(/kube-apiserver\s*pod created.*default\/pod\/t/)).toBeVisible({ timeout: 30_000 });
  });
});
