import { describe, expect, it } from "vitest";
import { parseScenarioTestArgs } from "./parse-scenario-test-args";

describe("parseScenarioTestArgs", () => {
  it("reads a pack, a driver, a variant, a cluster and --keep", () => {
    expect(parseScenarioTestArgs(["etcd-crashloop", "--driver", "sim", "--variant=cert-file", "--keep"])).toEqual({
      target: "etcd-crashloop",
      driver: "sim",
      variant: "cert-file",
      keep: true,
    });
    expect(parseScenarioTestArgs(["all", "--driver=ssh", "--cluster", "lab1"])).toMatchObject({ target: "all", driver: "ssh", cluster: "lab1" });
  });

  it("rejects what it does not know, saying how to call it", () => {
    expect(() => parseScenarioTestArgs([])).toThrow(/Name a pack/);
    expect(() => parseScenarioTestArgs(["all", "--driver", "docker"])).toThrow(/--driver/);
    expect(() => parseScenarioTestArgs(["all", "--variant", "x"])).toThrow(/needs one pack/);
    expect(() => parseScenarioTestArgs(["a", "b"])).toThrow(/Unknown argument "b"/);
    expect(() => parseScenarioTestArgs(["all", "--driver"])).toThrow(/needs a value/);
  });
});
