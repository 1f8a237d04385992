import { describe, expect, it } from "vitest";
import { PodIpAllocator } from "./pod-ip-allocator";

describe("pod IP allocator", () => {
  it("hands out .2 upwards and does not reuse a released address at once", () => {
    const ips = new PodIpAllocator();
    expect([ips.allocate("10.244.1"), ips.allocate("10.244.1")]).toEqual(["10.244.1.2", "10.244.1.3"]);
    ips.release("10.244.1.2");
    expect(ips.allocate("10.244.1")).toBe("10.244.1.4");
  });

  it("wraps around to free addresses after .254", () => {
    const ips = new PodIpAllocator();
    for (let i = 2; i <= 254; i++) ips.allocate("10.244.0");
    ips.release("10.244.0.7");
    expect(ips.allocate("10.244.0")).toBe("10.244.0.7");
  });

  it("answers .254 when the range is exhausted", () => {
    const ips = new PodIpAllocator();
    for (let i = 2; i <= 254; i++) ips.allocate("10.244.0");
    expect(ips.allocate("10.244.0")).toBe("10.244.0.254");
  });
});
