import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearClusterBaseline, readClusterBaseline, saveClusterBaseline } from "./cluster-baseline-file";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bf-baseline-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("a persistent cluster's baseline file", () => {
  it("keeps the baseline per cluster until it is cleared", () => {
    const b = { takenAt: "2026-01-01T00:00:00Z", namespaces: ["default", "kube-system"], objects: ["configmaps/kube-system/kubeadm-config"] };
    expect(readClusterBaseline(dir, "lab")).toBeNull();
    saveClusterBaseline(dir, "lab", b);
    expect(readClusterBaseline(dir, "lab")).toEqual(b);
    expect(readClusterBaseline(dir, "other")).toBeNull();
    clearClusterBaseline(dir, "lab");
    expect(readClusterBaseline(dir, "lab")).toBeNull();
  });

  it("reads a damaged file as no baseline, so nothing is deleted against it", () => {
    fs.mkdirSync(path.join(dir, "baselines"));
    fs.writeFileSync(path.join(dir, "baselines", "lab.json"), "{ not json");
    expect(readClusterBaseline(dir, "lab")).toBeNull();
  });
});
