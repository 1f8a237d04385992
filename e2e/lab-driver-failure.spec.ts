import { expect } from "@playwright/test";
import { LabPage } from "./pages/lab-page";
import { LabServer } from "./pages/lab-server";
import { test } from "./pages/lab-fixtures";

// A server of its own in kind mode, on a machine without Docker (this project's CI).
const PORT = Number(process.env.E2E_KIND_PORT ?? 3102);
test.use({ baseURL: `http://127.0.0.1:${PORT}` });

test.describe("kind mode without Docker", () => {
  test.setTimeout(240_000);
  let server: LabServer | undefined;
  test.afterEach(async ({ request }, info) => {
    const id = info.annotations.find((a) => a.type === "lab")?.description;
    if (id) await request.post(`/api/labs/${id}/give-up`).catch(() => undefined);
    await server?.stop();
  });

  test("starting a lab says plainly that the kind cluster cannot run here, and what to do", async ({ page }) => {
    server = LabServer.fresh(PORT, ".data-e2e-kind", "kind");
    await server.start();
    const lab = new LabPage(page);
    const { id, response } = await lab.startFromCatalogue("image-pull-backoff");
    if (id) test.info().annotations.push({ type: "lab", description: id });
    test.skip(response?.ok() === true, "kind is usable on this machine, so there is no failure to show");
    const card = page.getByTestId("scenario-image-pull-backoff");
    await expect(card.getByRole("alert")).toContainText("The kind cluster cannot be used on this machine");
    await expect(card.getByRole("alert")).toContainText(/docker/i);
    await expect(card.getByRole("alert")).toContainText("BREAKFIX_DRIVER=sim");
    await lab.shot("lab-kind-01-no-docker");
  });
});
