import { EventEmitter, once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ClusterWatch, type ClusterChange, type ClusterSnapshot } from "./cluster-watch";

/**
 * A minimal API server over real HTTP: lists, and watches that stay open and stream JSON lines,
 * like the real one. Enough to prove the panel's list → watch → unreachable → recover loop.
 */
function fakeApiServer() {
  const watchers = new Set<http.ServerResponse>();
  const events = new EventEmitter();
  const pod = (status: string) => ({
    metadata: { name: "web", namespace: "lab", uid: "p1" },
    spec: { containers: [{ name: "web" }], nodeName: "w1" },
    status: { phase: "Pending", containerStatuses: [{ name: "web", ready: false, restartCount: 0, image: "x", imageID: "", state: { waiting: { reason: status } } }] },
  });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.searchParams.get("watch") === "true") {
      res.writeHead(200, { "content-type": "application/json" });
      res.flushHeaders();
      if (url.pathname === "/api/v1/pods") {
        watchers.add(res);
        events.emit("pod-watch");
      }
      req.on("close", () => watchers.delete(res));
      return;
    }
    const list = (kind: string, items: unknown[]) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ kind, apiVersion: "v1", metadata: { resourceVersion: "10" }, items }));
    };
    if (url.pathname === "/api/v1/nodes")
      return list("NodeList", [{ metadata: { name: "w1" }, status: { conditions: [{ type: "Ready", status: "True" }] } }]);
    if (url.pathname === "/api/v1/pods") return list("PodList", [pod("ErrImagePull")]);
    if (url.pathname === "/api/v1/events")
      return list("EventList", [{ metadata: { name: "e1", namespace: "lab", uid: "e1" }, involvedObject: { kind: "Pod", name: "web" }, reason: "Failed", message: "Failed to pull image", type: "Warning" }]);
    res.writeHead(404).end();
  });
  return {
    server,
    async listen(port = 0): Promise<number> {
      await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
      return (server.address() as AddressInfo).port;
    },
    /** Resolves once a pod watch is open, so an event sent next reaches the client. */
    async podWatchOpen(): Promise<void> {
      if (watchers.size === 0) await once(events, "pod-watch", { signal: AbortSignal.timeout(10_000) });
    },
    sendPod(status: string) {
      for (const w of watchers) w.write(JSON.stringify({ type: "MODIFIED", object: pod(status) }) + "\n");
    },
    async close() {
      for (const w of watchers) w.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const kubeconfig = (port: number) => `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

let watch: ClusterWatch | undefined;
afterEach(() => watch?.stop());

/** Every snapshot the watch emits, and a wait for the first (latest) one that matches. */
function snapshotLog(w: ClusterWatch) {
  const snaps: ClusterSnapshot[] = [];
  const emitted = new EventEmitter();
  w.subscribe((s) => {
    snaps.push(s);
    emitted.emit("snapshot", s);
  });
  return {
    snaps,
    /** Resolves with the latest snapshot once it matches; says what it waited for when it gives up. */
    until(pred: (s: ClusterSnapshot) => boolean, what: string, timeoutMs = 10_000): Promise<ClusterSnapshot> {
      const last = snaps.at(-1);
      if (last && pred(last)) return Promise.resolve(last);
      return new Promise((resolve, reject) => {
        const onSnapshot = (s: ClusterSnapshot) => {
          if (!pred(s)) return;
          clearTimeout(timer);
          emitted.off("snapshot", onSnapshot);
          resolve(s);
        };
        const timer = setTimeout(() => {
          emitted.off("snapshot", onSnapshot);
          reject(new Error(`timed out waiting for ${what}; last: ${JSON.stringify(snaps.at(-1))}`));
        }, timeoutMs);
        emitted.on("snapshot", onSnapshot);
      });
    },
  };
}

describe("the live cluster watch", () => {
  it("lists, follows watch events, says when the API server is unreachable, and recovers", async () => {
    const api = fakeApiServer();
    const port = await api.listen();
    watch = new ClusterWatch({ kubeconfig: async () => kubeconfig(port), probeIntervalMs: 200, requestTimeoutMs: 1000, minBackoffMs: 100, maxBackoffMs: 200, emitDelayMs: 10 });
    const log = snapshotLog(watch);
    expect(log.snaps[0]?.api).toBe("connecting");

    const live = await log.until((s) => s.api === "live", "the first list");
    expect(live.nodes).toEqual([{ name: "w1", status: "Ready", ready: true, roles: "<none>" }]);
    expect(live.pods[0]).toMatchObject({ name: "web", status: "ErrImagePull" });
    expect(live.events[0]).toMatchObject({ reason: "Failed", object: "pod/web" });

    await api.podWatchOpen();
    api.sendPod("ImagePullBackOff");
    await log.until((s) => s.pods[0]?.status === "ImagePullBackOff", "the watch event");

    await api.close();
    const down = await log.until((s) => s.api === "unreachable" && /refused the connection/.test(s.message ?? ""), "the unreachable state");
    expect(down.retryInMs).toBeGreaterThan(0);
    expect(down.pods[0]?.status).toBe("ImagePullBackOff"); // last known data is kept

    const again = fakeApiServer();
    await again.listen(port);
    try {
      await log.until((s) => s.api === "live", "recovery after the API server came back");
    } finally {
      watch.stop();
      await again.close();
    }
  });
});

describe("observers of raw changes (the timeline)", () => {
  it("get every list and watch event whole; a late observer makes the watch list again, and a missing EndpointSlice API leaves the panel live", async () => {
    const api = fakeApiServer();
    const port = await api.listen();
    watch = new ClusterWatch({ kubeconfig: async () => kubeconfig(port), probeIntervalMs: 200, requestTimeoutMs: 1000, minBackoffMs: 100, maxBackoffMs: 200, emitDelayMs: 10 });
    const log = snapshotLog(watch);
    await log.until((s) => s.api === "live", "the first list");
    const changes: ClusterChange[] = [];
    const off = watch.observe((c) => changes.push(c));
    try {
      // The fake server has no EndpointSlice API (404): the lists come anyway, without it.
      await expect.poll(() => changes.filter((c) => c.kind === "list").map((c) => c.resource), { timeout: 10_000 }).toEqual(["nodes", "pods", "events"]);
      await api.podWatchOpen();
      api.sendPod("ImagePullBackOff");
      await expect.poll(() => changes.find((c) => c.kind === "watch"), { timeout: 10_000 }).toMatchObject({
        kind: "watch",
        resource: "pods",
        type: "MODIFIED",
        object: { metadata: { name: "web" }, status: { containerStatuses: [{ state: { waiting: { reason: "ImagePullBackOff" } } }] } },
      });
      expect(log.snaps.at(-1)?.api).toBe("live");
      expect(watch.subscribers).toBe(2);
    } finally {
      off();
      watch.stop();
      await api.close();
    }
  });
});
