import { describe, expect, it } from "vitest";
import { ByteRing } from "./byte-ring";

describe("ByteRing", () => {
  it("keeps exactly the last capacity bytes across chunk boundaries", () => {
    const ring = new ByteRing(10);
    let all = "";
    for (const s of ["abc", "defgh", "ijklmnop", "q", "rstuvwxyz0"]) {
      ring.push(Buffer.from(s));
      all += s;
      expect(ring.contents().toString()).toBe(all.slice(-10));
      expect(ring.length).toBe(Math.min(10, all.length));
    }
  });

  it("keeps the tail of a chunk bigger than the capacity", () => {
    const ring = new ByteRing(4);
    ring.push(Buffer.from("0123456789"));
    expect(ring.contents().toString()).toBe("6789");
  });
});
