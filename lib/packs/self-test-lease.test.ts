import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireClusterLease, readClusterLease, releaseClusterLease } from "@/lib/cluster/ssh/cluster-lease";
import type { Cluster } from "@/lib/cluster/types";
import { ConflictError } from "@/lib/errors";
import { attachedRequirements, takeSelfTestLease } from "./run-scenario-test-cli";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bf-st-lease-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A cluster with the ssh driver's lease methods over a real lease dir. */
const leased = (name: string) =>
  ({
    name,
    acquire: (holder: string, opts?: { signal?: AbortSignal }) => acquireClusterLease(dir, name, holder, opts),
    release: (holder?: string) => releaseClusterLease(dir, name, holder),
  }) as unknown as Cluster;

describe("scenario:test on an attached cluster", () => {
  it("takes the cluster's lease like a lab, keeps labs out meanwhile, and gives it back once", async () => {
    const lease = await takeSelfTestLease(leased("trainer"), "scenario-test:1");
    expect(readClusterLease(dir, "trainer")?.holder).toBe("scenario-test:1");
    await expect(acquireClusterLease(dir, "trainer", "lab-session-7")).rejects.toBeInstanceOf(ConflictError);
    expect(lease?.giveBack()).toBe(true);
    expect(lease?.giveBack()).toBe(false);
    expect(readClusterLease(dir, "trainer")).toBeNull();
  });

  it("refuses a cluster a lab holds, naming the lab, and leaves that lease alone", async () => {
    await acquireClusterLease(dir, "trainer", "lab-session-7");
    await expect(takeSelfTestLease(leased("trainer"), "scenario-test:1")).rejects.toThrow(/in use by lab-session-7/);
    expect(readClusterLease(dir, "trainer")?.holder).toBe("lab-session-7");
  });

  it("takes no lease on a cluster that has none (kind, sim)", async () => {
    expect(await takeSelfTestLease({ name: "kind-x" } as Cluster, "scenario-test:1")).toBeNull();
  });

  it("needs at least the workers a pack would have been given", () => {
    expect(attachedRequirements({ cluster: { workers: 0 }, requires: { schedulableNodes: 1 } })).toEqual({ schedulableNodes: 1 });
    expect(attachedRequirements({ cluster: { workers: 2 }, requires: { workers: 1, cni: "kindnet" } })).toEqual({ workers: 2, cni: "kindnet" });
  });
});
