import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EtcdOutcome } from "./components/etcd-model";
import type { RunRecord } from "./fleet-state";
import { runRecord } from "./fleet-test-fakes";
import { NodeLayout } from "./node-layout";
import { reconcileEtcdData, type EtcdDataState } from "./reconcile-etcd-data";

let dir: string;
let layout: NodeLayout;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-etcd-data-"));
  layout = new NodeLayout(dir);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function etcd(dataDirNodePath: string | null, freshStore: boolean, startedAt = 1): { outcome: EtcdOutcome; run: RunRecord } {
  const outcome = { run: { kind: "runs" }, logs: [], listen: [], clientUrls: [], dataDirNodePath, freshStore, trustedCaPem: null, serverCertPem: null } as EtcdOutcome;
  return { outcome, run: { ...runRecord("etcd"), outcome, startedAt } };
}

function recorder() {
  const calls: Array<[boolean, string]> = [];
  return { calls, effects: { setEtcdData: (fresh: boolean, key: string) => calls.push([fresh, key]) } };
}

describe("etcd data reconciler", () => {
  it("keeps the data of the default directory: nothing changes while etcd restarts on it", () => {
    fs.mkdirSync(layout.host("/var/lib/etcd/member"), { recursive: true });
    const last: EtcdDataState = { key: "host:/var/lib/etcd", run: null };
    const { calls, effects } = recorder();
    reconcileEtcdData(etcd("/var/lib/etcd", false, 1), { layout }, last, effects);
    reconcileEtcdData(etcd("/var/lib/etcd", true, 2), { layout }, last, effects);
    expect(calls).toEqual([]);
  });

  it("switches to an empty store for a new host directory and initialises its member/ dir there", () => {
    const last: EtcdDataState = { key: "host:/var/lib/etcd", run: null };
    const { calls, effects } = recorder();
    reconcileEtcdData(etcd("/var/lib/etcd-new", true), { layout }, last, effects);
    expect(calls).toEqual([[true, "host:/var/lib/etcd-new"]]);
    expect(fs.statSync(layout.host("/var/lib/etcd-new/member/wal")).isDirectory()).toBe(true);
    expect(last.key).toBe("host:/var/lib/etcd-new");
  });

  it("decides once per etcd run, and a data dir inside the container is new with every run", () => {
    const last: EtcdDataState = { key: "host:/var/lib/etcd", run: null };
    const { calls, effects } = recorder();
    const first = etcd(null, true, 10);
    reconcileEtcdData(first, { layout }, last, effects);
    reconcileEtcdData(first, { layout }, last, effects);
    reconcileEtcdData(etcd(null, true, 20), { layout }, last, effects);
    expect(calls).toEqual([
      [true, "container:10:etcd"],
      [true, "container:20:etcd"],
    ]);
  });

  it("does nothing while no etcd runs", () => {
    const { calls, effects } = recorder();
    reconcileEtcdData({ outcome: null, run: null }, { layout }, { key: "host:/var/lib/etcd", run: null }, effects);
    expect(calls).toEqual([]);
  });
});
