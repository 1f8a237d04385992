import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { findOnPath, toolsSkipReason, unlessCi } from "./required-tools";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "required-tools-"));
const bin = path.join(dir, "bin");
fs.mkdirSync(bin);
fs.writeFileSync(path.join(bin, "faketool"), "#!/bin/sh\n", { mode: 0o755 });
fs.writeFileSync(path.join(bin, "notexec"), "data", { mode: 0o644 });
fs.mkdirSync(path.join(bin, "adir"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("findOnPath", () => {
  it("finds an executable anywhere on PATH, not only in /usr/bin", () => {
    expect(findOnPath("faketool", `/nonexistent${path.delimiter}${bin}`)).toBe(path.join(bin, "faketool"));
  });
  it("ignores files that are not executable and directories", () => {
    expect(findOnPath("notexec", bin)).toBeNull();
    expect(findOnPath("adir", bin)).toBeNull();
  });
});

describe("toolsSkipReason", () => {
  it("is null when every tool is on PATH", () => {
    expect(toolsSkipReason({ suite: "x.test.ts", tools: ["faketool"], searchPath: bin, ci: true })).toBeNull();
  });
  it("outside CI, names the missing tool as the skip reason", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(toolsSkipReason({ suite: "x.test.ts", tools: ["faketool", "nope"], searchPath: bin, ci: false, install: "apt-get install nope" })).toBe(
      "nope not found on PATH (apt-get install nope)",
    );
    expect(warn).toHaveBeenCalledWith("x.test.ts skipped: nope not found on PATH (apt-get install nope)");
    warn.mockRestore();
  });
  it("in CI, fails instead of skipping, with the tool's name", () => {
    expect(() => toolsSkipReason({ suite: "x.test.ts", tools: ["nope"], searchPath: bin, ci: true })).toThrow(/x\.test\.ts needs nope not found on PATH/);
  });
});

describe("unlessCi", () => {
  it("passes null through in CI and outside", () => {
    expect(unlessCi("s.test.ts", null, true)).toBeNull();
    expect(unlessCi("s.test.ts", null, false)).toBeNull();
  });
  it("turns a skip reason into a failure in CI", () => {
    expect(() => unlessCi("s.test.ts", "/usr/sbin/sshd is not installed", true)).toThrow("s.test.ts needs /usr/sbin/sshd is not installed");
  });
});
