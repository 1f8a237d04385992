import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NotFoundError } from "@/lib/errors";
import { FakeCluster } from "@/lib/labs/fake-lab-deps";
import { registerLabCluster } from "@/lib/labs/lab-clusters";
import { applyMigrations } from "./migrate";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "breakfix-services-"));
// getConfig() reads the environment once, at the first call: set it before anything asks.
process.env.BREAKFIX_DATA_DIR = dir;
delete process.env.DATABASE_URL;

const { services } = await import("./services");
const { getConfig } = await import("@/lib/config");

beforeAll(() => {
  applyMigrations(getConfig().databaseUrl);
});
afterAll(async () => {
  await services().labs.db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the composition root", () => {
  it("builds one set of services per module graph, with every driver and its label", () => {
    const s = services();
    expect(services()).toBe(s);
    expect(s.labs.driverNamed("sim")?.label).toBe("Simulated cluster");
    expect(s.labs.driverNamed("sim")).toBe(s.drivers.named("sim"));
    expect(s.labs.driverNamed("nonesuch")).toBeNull();
  });

  it("lets terminals find a lab's cluster through lib/labs, and only that lab's nodes", async () => {
    const { labs, terminals } = services();
    const user = await labs.db.user.create({ data: { name: "learner" } });
    const lab = await labs.db.labSession.create({
      data: { userId: user.id, scenarioId: "fake-pack", variantId: "image", driver: "sim", state: "ready", clusterName: "c1" },
    });
    registerLabCluster(lab.id, new FakeCluster("c1", 1));
    await expect(terminals.resolver.authorize(user.id, lab.id, "c1-control-plane")).resolves.toBeUndefined();
    await expect(terminals.resolver.authorize(user.id, lab.id, "someone-elses-node")).rejects.toThrow(NotFoundError);
  });

  it("lets labs close a lab's terminals through the terminal service", async () => {
    const { labs, terminals } = services();
    const closeLab = vi.spyOn(terminals.manager, "closeLab");
    await labs.closeTerminals("lab-42");
    expect(closeLab).toHaveBeenCalledWith("lab-42");
  });
});
