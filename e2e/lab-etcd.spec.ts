import { expect } from "@playwright/test";
import { missingDependency, test, TERMINAL_MISSING, skipUnlessCi } from "./pages/lab-fixtures";

test.describe("etcd-crashloop", () => {
  test.setTimeout(900_000);

  test("fix the manifest from the control-plane node's shell; the panel says the API server is down, then Check passes", async ({ page, lab }) => {
    const { response } = await lab.startFromCatalogue("etcd-crashloop", "?scenario=etcd-crashloop&variant=cert-file");
    const missing = await missingDependency(response);
    test.skip(missing !== null, missing ?? "");
    await lab.waitUntilReady(600_000);
    await expect(lab.brief).toContainText("The API server keeps crashing");

    // The fault takes the API server down: the live panel must say so rather than spin.
    await expect(page.getByTestId("api-status")).toContainText("API server unreachable", { timeout: 180_000 });
    await expect(lab.clusterPanel.getByRole("status")).toContainText(/Retrying/);
    await lab.shot("lab-etcd-01-api-unreachable");

    test.skip(skipUnlessCi((await lab.hasTerminal()) ? null : TERMINAL_MISSING) !== null, TERMINAL_MISSING);
    await lab.controlPlaneTab.click();
    await lab.type("grep -n cert-file /etc/kubernetes/manifests/etcd.yaml");
    await lab.expectTerminalText("server.cert");
    await lab.type("sed -i 's#/etc/kubernetes/pki/etcd/server.cert#/etc/kubernetes/pki/etcd/server.crt#' /etc/kubernetes/manifests/etcd.yaml");
    // The arithmetic makes the marker appear only in the output, not in the echoed command line.
    await lab.type("grep -c etcd/server.crt /etc/kubernetes/manifests/etcd.yaml && systemctl restart kubelet && echo kubelet-restarted-$((40+2))");
    await lab.expectTerminalText("kubelet-restarted-42");
    await lab.shot("lab-etcd-02-manifest-edited");

    // As a learner would: wait in the live panel until the API server and etcd are back and ready.
    await expect(page.getByTestId("api-status")).toContainText("API server reachable", { timeout: 300_000 });
    await expect(lab.pod("kube-system", "etcd-").first()).toHaveAttribute("data-status", "Running", { timeout: 300_000 });
    await expect(lab.pod("kube-system", "etcd-").first()).toContainText("1/1", { timeout: 300_000 });
    await expect(lab.pod("kube-system", "kube-apiserver-").first()).toContainText("1/1", { timeout: 300_000 });
    await lab.shot("lab-etcd-03-api-back");
    await lab.pressCheck(300_000);
    await expect(lab.checkResults.locator('[data-ok="false"]')).toHaveCount(0);
    await expect(lab.score).toContainText("Score 17 / 17");
    await lab.shot("lab-etcd-04-checks-pass");
    await lab.finish();
    await expect(page.getByTestId("lab-results")).toHaveAttribute("data-state", "passed");
  });
});
