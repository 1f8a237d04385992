import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NodeState } from "./fleet-state";
import { fakeKubelet } from "./fleet-test-fakes";
import { NodeLayout } from "./node-layout";
import { cniConfigured, reconcileCniReadiness } from "./reconcile-cni-readiness";

let dir: string;
let layout: NodeLayout;
const now = new Date("2026-11-21T08:00:00Z");

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-cni-"));
  layout = new NodeLayout(dir);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeCni(name: string, content: string): void {
  fs.mkdirSync(layout.host("/etc/cni/net.d"), { recursive: true });
  fs.writeFileSync(layout.host(`/etc/cni/net.d/${name}`), content);
}

function node(): Pick<NodeState, "layout" | "cniReady" | "journal" | "kubelet"> & { fake: ReturnType<typeof fakeKubelet> } {
  const fake = fakeKubelet(() => []);
  return { layout, cniReady: null, journal: { kubelet: [], containerd: [] }, kubelet: fake.kubelet, fake };
}

describe("CNI config detection", () => {
  it("finds no network without /etc/cni/net.d, or with only files containerd cannot use", () => {
    expect(cniConfigured({ layout })).toBe(false);
    writeCni("10-broken.conflist", "{ not json");
    writeCni("20-empty.conflist", JSON.stringify({ plugins: [] }));
    writeCni("README.md", JSON.stringify({ type: "ptp" }));
    expect(cniConfigured({ layout })).toBe(false);
  });

  it("skips a file that does not parse and uses the next one with plugins or a type", () => {
    writeCni("10-broken.conflist", "{ not json");
    writeCni("20-kindnet.conflist", JSON.stringify({ plugins: [{ type: "ptp" }] }));
    expect(cniConfigured({ layout })).toBe(true);
    fs.rmSync(layout.host("/etc/cni/net.d/20-kindnet.conflist"));
    writeCni("30-single.conf", JSON.stringify({ type: "bridge" }));
    expect(cniConfigured({ layout })).toBe(true);
  });
});

describe("CNI readiness reconciler", () => {
  it("tells the kubelet only when readiness changes", () => {
    const n = node();
    reconcileCniReadiness(n, now);
    reconcileCniReadiness(n, now);
    expect(n.fake.networkReady).toEqual([false]);
    writeCni("10-kindnet.conflist", JSON.stringify({ plugins: [{ type: "ptp" }] }));
    reconcileCniReadiness(n, now);
    reconcileCniReadiness(n, now);
    expect(n.fake.networkReady).toEqual([false, true]);
    expect(n.cniReady).toBe(true);
  });

  it("logs containerd's reload error when a working config goes away, not when there never was one", () => {
    const n = node();
    reconcileCniReadiness(n, now);
    expect(n.journal.containerd).toEqual([]);
    writeCni("10-kindnet.conflist", JSON.stringify({ plugins: [{ type: "ptp" }] }));
    reconcileCniReadiness(n, now);
    fs.rmSync(layout.host("/etc/cni/net.d/10-kindnet.conflist"));
    reconcileCniReadiness(n, now);
    expect(n.journal.containerd).toHaveLength(1);
    expect(n.journal.containerd[0]).toContain(`time="${now.toISOString()}" level=error msg="failed to reload cni configuration`);
    expect(n.fake.networkReady).toEqual([false, true, false]);
  });
});
