import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { matchesFilter, TimelineFeed, withOffsets } from "./timeline-feed";
import type { TimelineResource } from "./timeline-objects";
import type { TimelineRow } from "./timeline-row";

const recorded = z
  .array(z.object({ resource: z.enum(["pods", "events", "endpointslices", "nodes"]), type: z.string(), object: z.unknown() }))
  .parse(JSON.parse(readFileSync(path.join(__dirname, "fixtures/pod-lifecycle.watch.json"), "utf8")));

/** Replays the recorded watch stream of `kubectl run web --image=nginx`, `kubectl expose`, `kubectl delete pod web`, 100 ms apart. */
function replay(): TimelineRow[] {
  let t = Date.parse("2026-12-03T05:40:00.100Z");
  const feed = new TimelineFeed({ now: () => new Date(t) });
  for (const r of ["pods", "events", "endpointslices", "nodes"] as TimelineResource[]) feed.list(r, []);
  for (const e of recorded) {
    t += 100;
    feed.watch(e.resource, e.type, e.object);
  }
  return feed.rows();
}

const brief = (r: TimelineRow) => `${r.actor} | ${r.action}${r.field ? ` | ${r.field}` : ""}${r.to !== undefined ? `: ${r.from} → ${r.to}` : ""}`;

describe("the timeline of a pod's life", () => {
  it("explains creation, scheduling, the kubelet's start, readiness, endpoints, deletion and removal, in order", () => {
    const rows = replay().map(brief);
    const order = [
      /^kube-apiserver \| pod created \(written by kubectl-run\)/,
      /^kube-apiserver \| phase changed \| status.phase:  → Pending/,
      /^default-scheduler \| bound pod to node .* spec.nodeName:  → kind-worker/,
      /^default-scheduler \| condition PodScheduled=True/,
      /^default-scheduler \| Scheduled$/,
      /^kubelet\/kind-worker \| container waiting: sandbox and image being prepared \| .*state:  → waiting:ContainerCreating/,
      /^kubelet\/kind-worker \| condition Initialized=True/,
      /^kubelet\/kind-worker \| Pulling \| spec.containers\{web\}/,
      /^kubelet\/kind-worker \| Pulled/,
      /^kubelet\/kind-worker \| Started/,
      /^kubelet\/kind-worker \| phase changed \| status.phase: Pending → Running/,
      /^kubelet\/kind-worker \| pod IP assigned .* status.podIP:  → 10.244.1.5/,
      /^kubelet\/kind-worker \| container running \| status.containerStatuses\[web\].state: waiting:ContainerCreating → running/,
      /^kubelet\/kind-worker \| container ready .*\.ready: false → true/,
      /^kubelet\/kind-worker \| condition Ready=True \| status.conditions\[Ready\]: False → True/,
      /^endpointslice-controller \| endpoint added of service\/web .* → ready=true serving=true terminating=false/,
      /^kube-apiserver \| deletion requested: grace period 30s starts \| metadata.deletionTimestamp:  → 2026-12-03T05:41:30Z/,
      /^endpointslice-controller \| endpoint conditions changed .* → ready=false serving=true terminating=true/,
      /^kubelet\/kind-worker \| Killing \| spec.containers\{web\}/,
      /^kubelet\/kind-worker \| container exited \| .*running → terminated:Completed\(0\)/,
      /^kubelet\/kind-worker \| condition Ready=False/,
      /^endpointslice-controller \| endpoint removed of service\/web/,
      /^kube-apiserver \| pod object removed \(kubelet confirmed/,
    ];
    let from = 0;
    for (const re of order) {
      const i = rows.findIndex((r, k) => k >= from && re.test(r));
      expect(i, `${re} after row ${from} in\n${rows.join("\n")}`).toBeGreaterThanOrEqual(from);
      from = i + 1;
    }
  });

  it("writes nothing for what already existed when the watch started", () => {
    const feed = new TimelineFeed();
    feed.list("pods", [recorded[4]!.object]);
    expect(feed.rows()).toEqual([]);
  });

  it("diffs a re-list against what it knew, so a pod deleted while the watch was down still shows as removed", () => {
    const feed = new TimelineFeed();
    const running = recorded.filter((r) => r.resource === "pods")[3]!.object;
    feed.list("pods", [running]);
    feed.list("pods", []);
    expect(feed.rows().map(brief)).toEqual(["kube-apiserver | pod object removed | metadata: present → deleted"]);
  });

  it("shows an Event once per occurrence: a repeat with a higher count is a new row, a re-delivery is not", () => {
    const feed = new TimelineFeed();
    feed.list("events", []);
    const pulling = recorded.find((r) => r.resource === "events" && /Pulling/.test(JSON.stringify(r.object)))!.object as Record<string, unknown>;
    feed.watch("events", "ADDED", pulling);
    feed.watch("events", "MODIFIED", pulling);
    feed.watch("events", "MODIFIED", { ...pulling, count: 2 });
    expect(feed.rows().map((r) => r.action)).toEqual(["Pulling", "Pulling (×2)"]);
  });

  it("shows recent Events of the first list at their own time and leaves old ones out", () => {
    const now = new Date("2026-12-03T05:40:30Z");
    const feed = new TimelineFeed({ now: () => now, historyMs: 60_000 });
    const events = recorded.filter((r) => r.resource === "events").map((r) => r.object as Record<string, unknown>);
    const old = { ...events[1]!, metadata: { name: "old", namespace: "default", uid: "old" }, lastTimestamp: "2026-12-03T05:30:00Z" };
    feed.list("events", [old, events[2]]);
    expect(feed.rows().map((r) => [r.action, r.at])).toEqual([["Pulled", "2026-12-03T05:40:02Z"]]);
  });

  it("reads events.k8s.io/v1 Events: reportingController and regarding", () => {
    const feed = new TimelineFeed();
    feed.list("events", []);
    feed.watch("events", "ADDED", {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: "web.1", namespace: "default", uid: "u1" },
      eventTime: "2026-12-03T05:40:00.183524Z",
      reportingController: "default-scheduler",
      reportingInstance: "default-scheduler-kind-control-plane",
      action: "Binding",
      reason: "Scheduled",
      regarding: { kind: "Pod", namespace: "default", name: "web" },
      note: "Successfully assigned default/web to kind-worker",
      type: "Normal",
    });
    expect(feed.rows()).toMatchObject([{ actor: "default-scheduler", action: "Scheduled", object: "pod/web", pods: ["web"], detail: "Successfully assigned default/web to kind-worker" }]);
  });

  it("keeps only the last N rows", () => {
    const feed = new TimelineFeed({ capacity: 5 });
    for (const r of ["pods", "events", "endpointslices", "nodes"] as TimelineResource[]) feed.list(r, []);
    for (const e of recorded) feed.watch(e.resource, e.type, e.object);
    const rows = feed.rows();
    expect(rows).toHaveLength(5);
    expect(rows.at(-1)!.action).toMatch(/pod object removed/);
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => a - b));
  });

  it("ignores objects that are not what they claim (no metadata.name)", () => {
    const feed = new TimelineFeed();
    feed.list("pods", []);
    feed.watch("pods", "ADDED", { metadata: {} });
    feed.watch("pods", "ADDED", "nonsense");
    expect(feed.rows()).toEqual([]);
  });
});

describe("force deletion and image pull errors", () => {
  const pod = (extra: Record<string, unknown>, status: Record<string, unknown>) => ({
    metadata: { name: "bad", namespace: "lab", uid: "u-bad", ...extra },
    spec: { nodeName: "kind-worker", terminationGracePeriodSeconds: 30 },
    status: { phase: "Pending", ...status },
  });

  it("names a grace period of 0 a force deletion", () => {
    const feed = new TimelineFeed();
    feed.list("pods", [pod({}, {})]);
    feed.watch("pods", "MODIFIED", pod({ deletionTimestamp: "2026-12-03T05:41:00Z", deletionGracePeriodSeconds: 0 }, {}));
    expect(feed.rows()[0]!.action).toMatch(/^force deletion/);
  });

  it("says when the image pull fails and the back-off starts, with the kubelet's message", () => {
    const feed = new TimelineFeed();
    const cs = (reason: string, message?: string) => ({ containerStatuses: [{ name: "app", ready: false, restartCount: 0, state: { waiting: { reason, message } } }] });
    feed.list("pods", [pod({}, cs("ContainerCreating"))]);
    feed.watch("pods", "MODIFIED", pod({}, cs("ErrImagePull", 'failed to pull and unpack image "docker.io/library/nginx:1.27.9999"')));
    feed.watch("pods", "MODIFIED", pod({}, cs("ImagePullBackOff", 'Back-off pulling image "nginx:1.27.9999"')));
    expect(feed.rows().map((r) => [r.action, r.from, r.to])).toEqual([
      ["image pull failed: ErrImagePull", "waiting:ContainerCreating", "waiting:ErrImagePull"],
      ["image pull failed: ImagePullBackOff", "waiting:ErrImagePull", "waiting:ImagePullBackOff"],
    ]);
    expect(feed.rows()[1]!.detail).toBe('Back-off pulling image "nginx:1.27.9999"');
  });
});

describe("node rows", () => {
  const node = (ready: string, unschedulable = false) => ({ metadata: { name: "kind-worker", uid: "n1" }, spec: { unschedulable }, status: { conditions: [{ type: "Ready", status: ready, reason: ready === "Unknown" ? "NodeStatusUnknown" : "KubeletReady" }] } });

  it("gives Unknown to the node lifecycle controller and a cordon to the API client", () => {
    const feed = new TimelineFeed();
    feed.list("nodes", [node("True")]);
    feed.watch("nodes", "MODIFIED", node("Unknown"));
    feed.watch("nodes", "MODIFIED", node("Unknown", true));
    expect(feed.rows().map(brief)).toEqual([
      "kube-controller-manager | condition Ready=Unknown (NodeStatusUnknown) | status.conditions[Ready]: True → Unknown",
      "kube-apiserver | node cordoned | spec.unschedulable: false → true",
    ]);
  });
});

describe("filters and offsets", () => {
  it("keeps a pod's rows, its Events and its endpoints, and drops other pods and nodes", () => {
    const rows = replay();
    const mine = rows.filter((r) => matchesFilter(r, { namespace: "default", pod: "web" }));
    expect(mine.length).toBe(rows.length);
    expect(rows.filter((r) => matchesFilter(r, { pod: "other" }))).toEqual([]);
    expect(rows.filter((r) => matchesFilter(r, { namespace: "kube-system" }))).toEqual([]);
  });

  it("counts offsets from the stream's origin", () => {
    const rows = withOffsets(replay(), Date.parse("2026-12-03T05:40:00.100Z"));
    expect(rows[0]!.offsetMs).toBe(100);
    expect(rows.at(-1)!.offsetMs).toBe(100 * recorded.length);
  });
});
