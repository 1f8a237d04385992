import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { selectDriver, type DriverFactories } from "./select-driver";
import type { ClusterDriver, DriverName } from "./types";

const config = parseConfig({});

function fakeDriver(name: DriverName, ok: boolean, missing: string[] = []): ClusterDriver {
  return {
    name,
    label: `${name} cluster`,
    available: async () => ({ ok, missing }),
    create: async () => {
      throw new Error("not in this test");
    },
    attach: async () => null,
    list: async () => [],
  };
}

/** Factories that record which drivers were built, so a test can tell what selection probed. */
function factories(kindOk: boolean, missing: string[] = []): { factories: DriverFactories; built: DriverName[] } {
  const built: DriverName[] = [];
  const make = (name: DriverName, ok: boolean) => () => {
    built.push(name);
    return fakeDriver(name, ok, ok ? [] : missing);
  };
  return { factories: { kind: make("kind", kindOk), sim: make("sim", true), ssh: make("ssh", true) }, built };
}

describe("selectDriver", () => {
  it("auto picks kind when docker and kind are usable", async () => {
    const s = await selectDriver("auto", factories(true).factories, { config });
    expect(s.driver.name).toBe("kind");
  });

  it("auto falls back to sim and says what kind was missing", async () => {
    const s = await selectDriver("auto", factories(false, ["docker", "kind"]).factories, { config });
    expect(s.driver.name).toBe("sim");
    expect(s.reason).toContain("missing: docker, kind");
    expect(s.reason).toContain("simulated cluster");
  });

  it("an explicit choice builds only that driver and says it was asked for", async () => {
    const f = factories(false);
    const s = await selectDriver("ssh", f.factories, { config });
    expect(s.driver.name).toBe("ssh");
    expect(s.reason).toBe("BREAKFIX_DRIVER=ssh");
    expect(f.built).toEqual(["ssh"]);
  });
});
