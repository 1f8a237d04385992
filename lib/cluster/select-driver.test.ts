import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { NotImplementedError } from "@/lib/errors";
import { selectDriver } from "./select-driver";
import type { ClusterDriver, DriverName } from "./types";

const config = parseConfig({});

function fakeDriver(name: DriverName, ok: boolean, missing: string[] = []): ClusterDriver {
  return {
    name,
    available: async () => ({ ok, missing }),
    create: async () => {
      throw new Error("not in this test");
    },
    attach: async () => null,
    list: async () => [],
  };
}

describe("selectDriver", () => {
  it("auto picks kind when docker and kind are usable", async () => {
    const s = await selectDriver("auto", { kind: () => fakeDriver("kind", true), sim: () => fakeDriver("sim", true), ssh: null }, { config });
    expect(s.driver.name).toBe("kind");
  });

  it("auto falls back to sim and says what kind was missing", async () => {
    const s = await selectDriver(
      "auto",
      { kind: () => fakeDriver("kind", false, ["docker", "kind"]), sim: () => fakeDriver("sim", true), ssh: null },
      { config },
    );
    expect(s.driver.name).toBe("sim");
    expect(s.reason).toContain("missing: docker, kind");
    expect(s.reason).toContain("simulated cluster");
  });

  it("an explicit driver that is not built fails plainly", async () => {
    await expect(selectDriver("ssh", { kind: null, sim: null, ssh: null }, { config })).rejects.toThrow(NotImplementedError);
    await expect(selectDriver("ssh", { kind: null, sim: null, ssh: null }, { config })).rejects.toThrow(
      "The ssh cluster driver is not built yet.",
    );
  });
});
