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

  it("reads --parallel, --time-scale and --report, and bounds them", () => {
    expect(parseScenarioTestArgs(["all", "--parallel", "4", "--time-scale=10", "--report", "r.json"])).toMatchObject({ parallel: 4, timeScale: 10, report: "r.json" });
    expect(parseScenarioTestArgs(["all", "--repeat", "6"])).toMatchObject({ repeat: 6 });
    expect(() => parseScenarioTestArgs(["all", "--repeat", "1.5"])).toThrow(/--repeat: must be a whole number/);
    expect(() => parseScenarioTestArgs(["all", "--parallel", "0"])).toThrow(/--parallel: must be at least 1/);
    expect(() => parseScenarioTestArgs(["all", "--time-scale", "abc"])).toThrow(/--time-scale/);
    expect(() => parseScenarioTestArgs(["all", "--time-scale", "50"])).toThrow(/--time-scale: must be at most 20/);
    expect(() => parseScenarioTestArgs(["all", "--cluster", "lab1", "--parallel", "2"])).toThrow(/--parallel needs fresh clusters/);
  });

  it("reads --watch for one pack on sim, and refuses it with all, another driver or a fixed cluster", () => {
    expect(parseScenarioTestArgs(["web-down", "--watch"])).toMatchObject({ target: "web-down", watch: true });
    expect(parseScenarioTestArgs(["web-down", "--watch", "--driver", "sim", "--variant", "x"])).toMatchObject({ watch: true, variant: "x" });
    expect(() => parseScenarioTestArgs(["all", "--watch"])).toThrow(/--watch needs one pack/);
    expect(() => parseScenarioTestArgs(["web-down", "--watch", "--driver", "kind"])).toThrow(/--watch runs on sim/);
    expect(() => parseScenarioTestArgs(["web-down", "--watch", "--cluster", "lab1"])).toThrow(/does not take --cluster/);
  });

  it("reads --record (store the results for the instructor page), which a --watch run does not take", () => {
    expect(parseScenarioTestArgs(["all", "--record"])).toMatchObject({ target: "all", record: true });
    expect(parseScenarioTestArgs(["all"]).record).toBeUndefined();
    expect(() => parseScenarioTestArgs(["web-down", "--watch", "--record"])).toThrow(/--record/);
  });
});
