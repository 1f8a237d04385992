import { describe, expect, it } from "vitest";
import { SimClock } from "@/lib/cluster/sim/clock";
import { NodeServices } from "./node-services";

const FATAL = 'E1202 18:00:00.000000     300 run.go:72] "command failed" err="failed to load kubelet config file"';

function services(fails: () => boolean) {
  const actions: string[] = [];
  const s = new NodeServices(new SimClock(100), {
    onKubelet: (a) => void actions.push(a),
    onContainerd: () => {},
    exitsOnStart: (unit) => (unit === "kubelet" && fails() ? FATAL : null),
  });
  return { s, actions, texts: () => s.units.kubelet.journal.map((j) => `${j.ident}: ${j.text}`) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("node services", () => {
  it("restarts a kubelet that exits as it starts every RestartSec, with systemd's lines, until it keeps running", async () => {
    let broken = true;
    const { s, actions, texts } = services(() => broken);
    s.restart("kubelet");
    expect(s.activeState("kubelet")).toBe("activating");
    expect(s.units.kubelet.result).toBe("exit-code");
    // The running kubelet model is told to stop once, not at every failed try.
    expect(actions).toEqual(["stop"]);
    expect(texts().slice(-4)).toEqual([
      "systemd: Started kubelet.service - kubelet: The Kubernetes Node Agent.",
      `kubelet: ${FATAL}`,
      "systemd: kubelet.service: Main process exited, code=exited, status=1/FAILURE",
      "systemd: kubelet.service: Failed with result 'exit-code'.",
    ]);
    await sleep(35);
    expect(s.units.kubelet.restarts).toBeGreaterThanOrEqual(2);
    expect(texts()).toContain("systemd: kubelet.service: Scheduled restart job, restart counter is at 2.");
    broken = false;
    await sleep(25);
    expect(s.activeState("kubelet")).toBe("active");
    expect(s.units.kubelet.result).toBe("success");
    expect(actions).toEqual(["stop", "start"]);
    const restarts = s.units.kubelet.restarts;
    await sleep(25);
    expect(s.units.kubelet.restarts).toBe(restarts);
  });

  it("stops retrying when the unit is stopped between two tries, keeping the failed result", async () => {
    const { s, texts } = services(() => true);
    s.restart("kubelet");
    s.stop("kubelet");
    expect(s.activeState("kubelet")).toBe("inactive");
    expect(s.units.kubelet.result).toBe("exit-code");
    expect(texts().at(-1)).toBe("systemd: Stopped kubelet.service - kubelet: The Kubernetes Node Agent.");
    await sleep(30);
    expect(s.units.kubelet.restarts).toBe(0);
  });

  it("starts a kubelet that stays up at once, and tells the model", () => {
    const { s, actions } = services(() => false);
    s.stop("kubelet");
    s.start("kubelet");
    expect(s.activeState("kubelet")).toBe("active");
    expect(actions).toEqual(["stop", "start"]);
  });
});
