import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ContainerRecord, LogLine } from "@/lib/cluster/sim/kubelet/kubelet-seams";
import { CONTROL_PLANE_SPEC, containerRecord, fakeKubelet } from "./fleet-test-fakes";
import { NodeLayout } from "./node-layout";
import { reconcilePodLogFiles, type PodLogFile } from "./reconcile-pod-log-files";

let dir: string;
let layout: NodeLayout;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-podlogs-"));
  layout = new NodeLayout(dir);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const web = containerRecord({ id: "a".repeat(64), name: "web", podName: "web-1", namespace: "shop", podUid: "u1", attempt: 2 });
const line = (s: number, text: string, stream: LogLine["stream"] = "stdout"): LogLine => ({ time: new Date(Date.UTC(2026, 10, 21, 8, 0, s)), stream, text });

describe("pod log files reconciler", () => {
  it("writes each container's log in the CRI format under /var/log/pods, with the /var/log/containers link", () => {
    const logs: LogLine[] = [line(1, "listening"), line(2, "oops", "stderr")];
    const { kubelet } = fakeKubelet(() => [web], () => logs);
    const written = new Map<string, PodLogFile>();
    reconcilePodLogFiles({ spec: CONTROL_PLANE_SPEC, layout, kubelet }, written);
    const file = layout.host("/var/log/pods/shop_web-1_u1/web/2.log");
    expect(fs.readFileSync(file, "utf8")).toBe("2026-11-21T08:00:01.000000000Z stdout F listening\n2026-11-21T08:00:02.000000000Z stderr F oops\n");
    const link = layout.host(`/var/log/containers/web-1_shop_web-${web.id}.log`);
    expect(fs.readlinkSync(link)).toBe("/var/log/pods/shop_web-1_u1/web/2.log");
  });

  it("appends only the lines that are new since the last call", () => {
    const logs: LogLine[] = [line(1, "one")];
    const { kubelet } = fakeKubelet(() => [web], () => logs);
    const written = new Map<string, PodLogFile>();
    reconcilePodLogFiles({ spec: CONTROL_PLANE_SPEC, layout, kubelet }, written);
    logs.push(line(2, "two"));
    reconcilePodLogFiles({ spec: CONTROL_PLANE_SPEC, layout, kubelet }, written);
    reconcilePodLogFiles({ spec: CONTROL_PLANE_SPEC, layout, kubelet }, written);
    const text = fs.readFileSync(layout.host("/var/log/pods/shop_web-1_u1/web/2.log"), "utf8");
    expect(text.split("\n").filter(Boolean).map((l) => l.split(" ").pop())).toEqual(["one", "two"]);
  });

  it("removes the files of a container the runtime no longer has, and leaves other nodes' records alone", () => {
    let containers: ContainerRecord[] = [web];
    const { kubelet } = fakeKubelet(() => containers, () => [line(1, "x")]);
    const other: PodLogFile = { node: "lab-worker", file: "/var/log/pods/x/y/0.log", link: "/var/log/containers/x.log", lines: 1 };
    const written = new Map<string, PodLogFile>([["other", other]]);
    reconcilePodLogFiles({ spec: CONTROL_PLANE_SPEC, layout, kubelet }, written);
    containers = [];
    reconcilePodLogFiles({ spec: CONTROL_PLANE_SPEC, layout, kubelet }, written);
    expect(fs.existsSync(layout.host("/var/log/pods/shop_web-1_u1/web/2.log"))).toBe(false);
    expect(fs.existsSync(layout.host(`/var/log/containers/web-1_shop_web-${web.id}.log`))).toBe(false);
    expect([...written.keys()]).toEqual(["other"]);
  });
});
