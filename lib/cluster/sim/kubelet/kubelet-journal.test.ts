import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SimClock } from "../clock";
import { createKubeletJournal } from "./kubelet-journal";

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date("2026-03-21T08:00:37.123Z"));
});
afterEach(() => vi.useRealTimers());

describe("kubelet journal", () => {
  it("writes klog lines with the level, UTC time to microseconds, pid and source", () => {
    const journal = createKubeletJournal(new SimClock());
    journal.write("E", "kubelet.go:2468", `"Shutting down kubelet"`);
    expect(journal.lines()).toHaveLength(1);
    expect(journal.lines()[0]).toMatch(/^E0321 08:00:37\.123\d{3}     245 kubelet\.go:2468\] "Shutting down kubelet"$/);
  });

  it("keeps only the newest 5000 lines", () => {
    const journal = createKubeletJournal(new SimClock());
    for (let i = 0; i < 5003; i++) journal.write("I", "x.go:1", `line ${i}`);
    const lines = journal.lines();
    expect(lines).toHaveLength(5000);
    expect(lines[0]).toMatch(/line 3$/);
    expect(lines.at(-1)).toMatch(/line 5002$/);
  });

  it("hands out a copy that later writes do not change", () => {
    const journal = createKubeletJournal(new SimClock());
    const before = journal.lines();
    journal.write("W", "x.go:1", "later");
    expect(before).toEqual([]);
  });
});
