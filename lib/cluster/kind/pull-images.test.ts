import { afterEach, describe, expect, it } from "vitest";
import { logger } from "@/lib/logger";
import { fakeToolsEnv, type FakeToolsEnv } from "./fixtures/fake-tools-env";
import { pullImages } from "./pull-images";
import { runCommand, type RunCommand } from "./run-command";

let fx: FakeToolsEnv | undefined;
afterEach(() => fx?.cleanup());

describe("pullImages", () => {
  it("pulls only what the local image store lacks and reports what could not be pulled", async () => {
    const f = (fx = fakeToolsEnv({ FAKE_LOCAL_IMAGES: "nginx:1.27.3" }));
    const run: RunCommand = (file, args, o) => runCommand(file, args, { ...o, env: f.env });
    const r = await pullImages(run, ["nginx:1.27.3", "busybox:1.37.0"], logger.child({}, { level: "silent" }));
    expect(r).toEqual({ present: ["nginx:1.27.3"], pulled: ["busybox:1.37.0"], failed: [] });
    expect(f.calls().filter((c) => c.argv[0] === "pull").map((c) => c.argv)).toEqual([["pull", "busybox:1.37.0"]]);
  });

  it("offline, names the image and Docker's error", async () => {
    const f = (fx = fakeToolsEnv({ FAKE_NETWORK: "off" }));
    const run: RunCommand = (file, args, o) => runCommand(file, args, { ...o, env: f.env });
    const r = await pullImages(run, ["redis:7.4.1"], logger.child({}, { level: "silent" }));
    expect(r.failed).toEqual([{ image: "redis:7.4.1", error: expect.stringMatching(/lookup registry-1\.docker\.io .* server misbehaving/) }]);
  });
});
