import { describe, expect, it } from "vitest";
import { parsePreviewArgs } from "./parse-preview-args";

describe("parsePreviewArgs", () => {
  it("reads a pack, a variant (either spelling) and --no-open", () => {
    expect(parsePreviewArgs(["etcd-crashloop"])).toEqual({ slug: "etcd-crashloop", noOpen: false });
    expect(parsePreviewArgs(["etcd-crashloop", "--variant", "cert-file", "--no-open"])).toEqual({ slug: "etcd-crashloop", variant: "cert-file", noOpen: true });
    expect(parsePreviewArgs(["--variant=bad-flag", "etcd-crashloop"])).toMatchObject({ variant: "bad-flag" });
  });

  it("refuses what it does not know, saying how to call it", () => {
    expect(() => parsePreviewArgs([])).toThrow(/Name the pack/);
    expect(() => parsePreviewArgs(["a", "b"])).toThrow(/Unknown argument "b"/);
    expect(() => parsePreviewArgs(["a", "--keep"])).toThrow(/Unknown argument "--keep"/);
    expect(() => parsePreviewArgs(["a", "--variant"])).toThrow(/--variant needs a value/);
    expect(() => parsePreviewArgs(["Bad_Slug"])).toThrow(/^pack: must be a pack's slug/);
    expect(() => parsePreviewArgs(["a", "--variant", "../x"])).toThrow(/^--variant: must be a variant's id/);
  });
});
