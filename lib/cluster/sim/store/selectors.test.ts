import { describe, expect, it } from "vitest";
import { matchesLabels, parseFieldSelector, parseLabelSelector, selectorFromObject } from "./selectors";

describe("selectors", () => {
  it("parses kubectl's label selector syntax", () => {
    expect(parseLabelSelector("app=web,tier!=db,env in (a, b),!legacy,release")).toEqual([
      { key: "app", op: "=", values: ["web"] },
      { key: "tier", op: "!=", values: ["db"] },
      { key: "env", op: "in", values: ["a", "b"] },
      { key: "legacy", op: "!", values: [] },
      { key: "release", op: "exists", values: [] },
    ]);
    expect(() => parseLabelSelector("a b c")).toThrow(/unable to parse requirement/);
  });
  it("matches like the apiserver: != and notin also match a missing key", () => {
    expect(matchesLabels(parseLabelSelector("tier!=db"), {})).toBe(true);
    expect(matchesLabels(parseLabelSelector("env notin (a)"), { env: "b" })).toBe(true);
    expect(matchesLabels(selectorFromObject({ matchLabels: { app: "web" }, matchExpressions: [{ key: "x", operator: "DoesNotExist" }] }), { app: "web" })).toBe(true);
  });
  it("parses field selectors", () => {
    expect(parseFieldSelector("involvedObject.name=web,spec.nodeName!=n1")).toEqual([
      { field: "involvedObject.name", op: "=", value: "web" },
      { field: "spec.nodeName", op: "!=", value: "n1" },
    ]);
  });
});
