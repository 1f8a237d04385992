import { describe, expect, it } from "vitest";
import { addQuantities, canonicalQuantity, formatQuantity, zeroQuantity, goQuantityRepr, parseQuantity, QUANTITY_FORMAT_ERROR, QUANTITY_SUFFIX_ERROR } from "./quantity";

describe("resource quantities", () => {
  it("prints the canonical form the apiserver serialises", () => {
    const cases: [string, string][] = [
      ["1024Mi", "1Gi"],
      ["1000m", "1"],
      ["0.5", "500m"],
      ["1500m", "1500m"],
      ["1.5Gi", "1536Mi"],
      ["1000", "1k"],
      ["1500", "1500"],
      ["512Ki", "512Ki"],
      ["100", "100"],
      ["1e3", "1e3"],
      ["0", "0"],
      ["2", "2"],
      ["-1", "-1"],
      ["0.1Ki", "102400m"],
    ];
    for (const [input, want] of cases) expect(canonicalQuantity(input), input).toBe(want);
  });

  it("adds exactly, keeping the first non-zero operand's format", () => {
    expect(formatQuantity(addQuantities(parseQuantity("128Mi"), parseQuantity("128Mi")))).toBe("256Mi");
    expect(formatQuantity(addQuantities(parseQuantity("500m"), parseQuantity("500m")))).toBe("1");
    expect(formatQuantity(addQuantities(zeroQuantity(), parseQuantity("64Mi")))).toBe("64Mi");
    expect(formatQuantity(addQuantities(parseQuantity("1"), parseQuantity("1Ki")))).toBe("1025");
  });

  it("rejects malformed quantities with Go's messages", () => {
    expect(() => parseQuantity("abc")).toThrow(QUANTITY_FORMAT_ERROR);
    expect(() => parseQuantity("1K")).toThrow(QUANTITY_SUFFIX_ERROR);
    expect(() => parseQuantity("")).toThrow(QUANTITY_FORMAT_ERROR);
  });

  it("renders the %#v form field errors print for a quantity", () => {
    expect(goQuantityRepr(parseQuantity("2"))).toBe('resource.Quantity{i:resource.int64Amount{value:2, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"2", Format:"DecimalSI"}');
    expect(goQuantityRepr(parseQuantity("1Gi"))).toBe('resource.Quantity{i:resource.int64Amount{value:1073741824, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1Gi", Format:"BinarySI"}');
    expect(goQuantityRepr(parseQuantity("1000m"))).toContain('value:1000, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:""');
  });
});
