import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConflictError, TimeoutError } from "@/lib/errors";
import { acquireClusterLease, readClusterLease, releaseClusterLease } from "./cluster-lease";
import { clearNeedsInstructor, markNeedsInstructor, readNeedsInstructor } from "./needs-instructor";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-lease-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("cluster leases (one lab per cluster)", () => {
  it("gives the cluster to one holder; a second holder fails at once naming the first", async () => {
    const lease = await acquireClusterLease(dir, "lab1", "session-a");
    expect(lease).toMatchObject({ cluster: "lab1", holder: "session-a", pid: process.pid });
    await expect(acquireClusterLease(dir, "lab1", "session-b")).rejects.toThrow(ConflictError);
    await expect(acquireClusterLease(dir, "lab1", "session-b")).rejects.toThrow(/Cluster lab1 is in use by session-a/);
    expect(readClusterLease(dir, "lab1")?.holder).toBe("session-a");
  });

  it("lets the same holder take it again (re-attach after a restart)", async () => {
    await acquireClusterLease(dir, "lab1", "session-a");
    await expect(acquireClusterLease(dir, "lab1", "session-a")).resolves.toMatchObject({ holder: "session-a" });
  });

  it("waits a bounded time: gets the cluster when it is released, or says what it waited for", async () => {
    await acquireClusterLease(dir, "lab1", "session-a");
    setTimeout(() => releaseClusterLease(dir, "lab1", "session-a"), 150);
    await expect(acquireClusterLease(dir, "lab1", "session-b", { waitMs: 3000, pollMs: 20 })).resolves.toMatchObject({ holder: "session-b" });
    const t0 = Date.now();
    await expect(acquireClusterLease(dir, "lab1", "session-c", { waitMs: 200, pollMs: 20 })).rejects.toThrow(TimeoutError);
    expect(Date.now() - t0).toBeLessThan(2000);
    await expect(acquireClusterLease(dir, "lab1", "session-c", { waitMs: 100, pollMs: 20 })).rejects.toThrow(/Waited 100 ms for cluster lab1 .* in use by session-b/);
  });

  it("releases only the named holder's lease; without a holder, any lease", async () => {
    await acquireClusterLease(dir, "lab1", "session-a");
    expect(releaseClusterLease(dir, "lab1", "session-b")).toBe(false);
    expect(readClusterLease(dir, "lab1")).not.toBeNull();
    expect(releaseClusterLease(dir, "lab1")).toBe(true);
    expect(readClusterLease(dir, "lab1")).toBeNull();
  });

  it("lets exactly one of many concurrent takers win", async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => acquireClusterLease(dir, "lab1", `s${i}`)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("keeps a damaged lease file as busy rather than freeing the cluster", async () => {
    fs.mkdirSync(path.join(dir, "leases"), { recursive: true });
    fs.writeFileSync(path.join(dir, "leases", "lab1.json"), "{not json");
    await expect(acquireClusterLease(dir, "lab1", "session-a")).rejects.toThrow(/unreadable lease file/);
  });
});

describe("needs-instructor marks", () => {
  it("persists a mark with its reason and context until it is cleared", () => {
    expect(readNeedsInstructor(dir, "lab1")).toBeNull();
    markNeedsInstructor(dir, "lab1", "check etcd-healthy still fails after solve()", { scenario: "etcd-crashloop", variant: "bad-flag" });
    expect(readNeedsInstructor(dir, "lab1")).toMatchObject({ reason: expect.stringContaining("etcd-healthy"), context: { scenario: "etcd-crashloop" } });
    expect(clearNeedsInstructor(dir, "lab1")).toBe(true);
    expect(readNeedsInstructor(dir, "lab1")).toBeNull();
    expect(clearNeedsInstructor(dir, "lab1")).toBe(false);
  });
});
