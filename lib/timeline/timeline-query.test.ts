import { describe, expect, it } from "vitest";
import { InputError } from "@/lib/errors";
import { parseTimelineQuery } from "./timeline-query";

describe("the timeline stream's ?namespace=&pod=", () => {
  it("takes a namespace and a pod name, and treats empty values as any", () => {
    expect(parseTimelineQuery(new URLSearchParams("namespace=shop&pod=web-6bccddcdc8-hbtt4"))).toEqual({ namespace: "shop", pod: "web-6bccddcdc8-hbtt4" });
    expect(parseTimelineQuery(new URLSearchParams("namespace=&pod="))).toEqual({});
    expect(parseTimelineQuery(new URLSearchParams(""))).toEqual({});
  });

  it("refuses a name the API server would refuse, saying which parameter", () => {
    expect(() => parseTimelineQuery(new URLSearchParams("namespace=Shop"))).toThrow(InputError);
    expect(() => parseTimelineQuery(new URLSearchParams("namespace=Shop"))).toThrow(/^namespace: must be a Kubernetes name/);
    expect(() => parseTimelineQuery(new URLSearchParams(`pod=${"a".repeat(254)}`))).toThrow(/^pod: /);
    expect(() => parseTimelineQuery(new URLSearchParams("pod=../etc"))).toThrow(/^pod: /);
  });

  it("refuses parameters it does not know, naming them", () => {
    expect(() => parseTimelineQuery(new URLSearchParams("container=web"))).toThrow(/container/);
  });
});
