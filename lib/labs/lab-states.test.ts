import { describe, expect, it } from "vitest";
import { canTransition, LAB_STATES, LIVE_STATES, type LabState } from "./lab-states";

const FINAL: LabState[] = ["passed", "failed", "abandoned", "expired"];

describe("lab state transitions", () => {
  it("follows the lifecycle: provisioning → ready ⇄ checking, then a final state", () => {
    expect(canTransition("provisioning", "ready")).toBe(true);
    expect(canTransition("ready", "checking")).toBe(true);
    expect(canTransition("checking", "ready")).toBe(true);
    for (const end of ["passed", "failed", "abandoned", "expired"] as const) expect(canTransition("ready", end)).toBe(true);
  });

  it("never leaves a final state, except a failed lab being reset", () => {
    for (const from of FINAL) {
      for (const to of LAB_STATES) expect(canTransition(from, to)).toBe(from === "failed" && to === "provisioning");
    }
  });

  it("does not grade a lab that is not ready, nor finish one mid-check", () => {
    expect(canTransition("provisioning", "checking")).toBe(false);
    expect(canTransition("checking", "passed")).toBe(false);
    expect(canTransition("checking", "failed")).toBe(false);
    expect(canTransition("checking", "abandoned")).toBe(false);
    expect(canTransition("checking", "provisioning")).toBe(false);
  });

  it("lets every live state expire (idle sweep, cluster gone after a restart)", () => {
    for (const s of LIVE_STATES) expect(canTransition(s, "expired")).toBe(true);
  });

  it("has no self-transitions", () => {
    for (const s of LAB_STATES) expect(canTransition(s, s)).toBe(false);
  });
});
